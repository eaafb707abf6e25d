import type { Metrics } from '../core/metrics.js';
import type { ItemStore, LeaseLock } from '../core/types.js';

const TIMED: ReadonlyArray<keyof ItemStore> = [
  'knows',
  'upsert',
  'latest',
  'get',
  'stats',
  'version',
  'getValidators',
  'setValidators',
  'getState',
  'setState',
  'trim',
  'ping',
  'markGone',
  'markPresent',
  'changes',
  'history',
  'recheckTargets',
];

/** The same store, with every operation's latency observed in portalfeed_store_operation_seconds. */
export function instrumentStore<S extends ItemStore & { lock: LeaseLock }>(store: S, metrics: Metrics): S {
  const histogram = metrics.storeOperation;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || !TIMED.includes(prop as keyof ItemStore)) {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const end = histogram.startTimer({ store: target.kind, op: String(prop) });
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          end();
        }
      };
    },
  });
}
