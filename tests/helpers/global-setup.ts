import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The store contract runs against a real Redis; a missing one fails the run loudly instead of skipping. */
export default async function setup(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (cause) {
    throw new Error(
      `Redis does not answer at ${TEST_REDIS_URL} (${(cause as Error).message}). The store tests need one: ` +
        `start it with "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''" ` +
        `(Debian: apt-get install redis-server), or set REDIS_URL.`,
    );
  } finally {
    client.disconnect();
  }
}
