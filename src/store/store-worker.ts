/** Runs in a worker thread: the embedded store answers ThreadedStore's calls here, away from the event loop that serves HTTP. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../core/log.js';
import type { Lease } from '../core/types.js';
import { SqliteStore } from './sqlite.js';
import { LOG_LEVELS, toWire, type LogLevel, type LogRecord, type StoreCall, type StoreReply, type StoreWorkerData } from './threaded.js';

const data = workerData as StoreWorkerData;
const port = parentPort;
if (!port) throw new Error('store-worker runs only as a worker thread');

function post(message: StoreReply | LogRecord, fallback: StoreReply | LogRecord): void {
  try {
    port?.postMessage(message);
  } catch {
    // Something in it does not clone (a value in an error's details or a log field): the part that does.
    port?.postMessage(fallback);
  }
}

/** The caller's logger, reached by message: the levels it writes, with the store's own fields and errors. */
function forwardingLogger(bindings: Record<string, unknown>): Logger {
  const write = (level: LogLevel) => (first: unknown, msg?: string) => {
    if (!data.levels.includes(level)) return;
    const { err, ...obj } = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
    const text = typeof first === 'string' ? first : msg;
    const record: LogRecord = {
      log: level,
      bindings,
      obj,
      ...(err === undefined ? {} : { err: toWire(err) }),
      ...(text === undefined ? {} : { msg: text }),
    };
    post(record, { log: level, bindings: {}, obj: {}, ...(text === undefined ? {} : { msg: text }) });
  };
  const methods = Object.fromEntries(LOG_LEVELS.map((level) => [level, write(level)]));
  return {
    ...methods,
    child: (more: Record<string, unknown>) => forwardingLogger({ ...bindings, ...more }),
    isLevelEnabled: (level: string) => data.levels.includes(level as LogLevel),
  } as unknown as Logger;
}

// Off the serving thread already: SQLite's own checkpoints in the commits cost no request anything, and spare a thread.
const store = new SqliteStore({ ...data.options, checkpointThread: false, logger: forwardingLogger({}) });
/** Leases taken here, by token: the caller renews and releases them by it. */
const leases = new Map<string, Lease>();

async function run(call: StoreCall): Promise<unknown> {
  const [name, ttlMs] = call.args as [string, number];
  switch (call.op) {
    case 'open':
      return store.open();
    case 'acquire': {
      const lease = await store.lock.acquire(name, ttlMs);
      if (!lease) return null;
      leases.set(lease.token, lease);
      return { name: lease.name, token: lease.token };
    }
    case 'holder':
      return store.lock.holder(name);
    case 'renew':
      // A lease's calls carry its token.
      return (await leases.get(name)?.renew()) ?? false;
    case 'release': {
      const lease = leases.get(name);
      leases.delete(name);
      return lease?.release();
    }
    default:
      return (store[call.op] as (...a: unknown[]) => Promise<unknown>).apply(store, call.args);
  }
}

port.on('message', (call: StoreCall) => {
  void run(call)
    .then(
      (value) =>
        post(
          { id: call.id, ok: true, value },
          { id: call.id, ok: false, error: { name: 'Error', message: `store: the answer to ${call.op} does not clone` } },
        ),
      (err: unknown) => {
        const error = toWire(err);
        post(
          { id: call.id, ok: false, error },
          { id: call.id, ok: false, error: { name: error.name, message: error.message, ...(error.code ? { code: error.code } : {}) } },
        );
      },
    )
    .finally(() => {
      // The last message: the thread's event loop empties and it ends.
      if (call.op === 'close') port.close();
    });
});
