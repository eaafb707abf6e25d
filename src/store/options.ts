import type { Logger } from '../core/log.js';
import type { ItemStore, LeaseLock } from '../core/types.js';

/** The embedded store's file in its data dir. */
export const DB_FILE = 'portalfeed.db';

export interface StoreOptions {
  /** Set → Redis store, else the embedded store. */
  redisUrl: string | null;
  /** Seed node URLs of a Redis Cluster (instead of redisUrl). */
  redisCluster?: string[] | null;
  /** A Sentinel-managed master (instead of redisUrl); writes wait for `waitReplicas` replicas to confirm. */
  redisSentinel?: RedisSentinelOptions | null;
  /** Where the embedded store persists. */
  dataDir: string;
  /** Redis key prefix; the default's hash tag keeps every key in one cluster slot. */
  keyPrefix: string;
  retentionDays: number | null;
  maxItems: number | null;
  /** Largest SimHash Hamming distance merged as a near duplicate (0–3 is what the block-key index guarantees to find: INDEXED_DISTANCE). */
  nearDuplicateDistance: number;
  logger: Logger;
  /** The embedded store runs in a worker thread of its own (ThreadedStore); Redis ignores it. */
  thread?: boolean;
  /** Embedded store: WAL checkpoints in a thread of their own (default), or SQLite's own in the commits (false). */
  checkpointThread?: boolean;
}

export interface RedisSentinelOptions {
  name: string;
  sentinels: string[];
  waitReplicas?: number;
}

/** True when any Redis topology is configured. */
export function usesRedis(options: Pick<StoreOptions, 'redisUrl' | 'redisCluster' | 'redisSentinel'>): boolean {
  return Boolean(options.redisUrl || options.redisCluster?.length || options.redisSentinel);
}

export interface OpenStore extends ItemStore {
  readonly lock: LeaseLock;
}

const DAY_MS = 86_400_000;

/** Epoch ms before which items are dropped, or null when retention by age is off. */
export function retentionCutoff(now: Date, retentionDays: number | null): number | null {
  return retentionDays === null ? null : now.getTime() - retentionDays * DAY_MS;
}
