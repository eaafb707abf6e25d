import { usesRedis, type OpenStore, type StoreOptions } from './options.js';

export type { OpenStore, RedisSentinelOptions, StoreOptions } from './options.js';
export { canonicalUrl, identityKey, validatorKey } from './canonical.js';
export { simhash64, hammingDistance } from './simhash.js';
export { itemGuidFor } from './identity.js';

/**
 * Opens the Redis store when a URL is set, else the embedded one. A Redis that is down at start is
 * logged and retried in the background: calls fail fast with STORE_UNAVAILABLE until it answers. `thread` puts the
 * embedded store in a worker thread of its own (serve); the other commands keep it on their thread, which starts faster.
 */
export async function openStore(options: StoreOptions): Promise<OpenStore> {
  if (usesRedis(options)) {
    // Loaded only when used: a process on the embedded store never pays for the Redis client.
    const { createRedisClient, describeTopology, RedisStore } = await import('./redis.js');
    const client = createRedisClient(options);
    try {
      await client.connect();
    } catch (err) {
      // The client has warned of the outage already; this only says start-up goes on without it.
      options.logger.info(
        { err: (err as Error).message, redis: describeTopology(options) },
        'store: Redis not reachable at start; will keep retrying',
      );
    }
    return new RedisStore(client, options);
  }
  if (options.thread) {
    const { ThreadedStore } = await import('./threaded.js');
    return ThreadedStore.open(options);
  }
  const { SqliteStore } = await import('./sqlite.js');
  const store = new SqliteStore(options);
  store.open();
  return store;
}
