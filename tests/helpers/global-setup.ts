import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The prefix `portalfeed` itself writes under; tests use prefixes of their own (tests/helpers/redis.ts). */
export const PRODUCTION_PREFIX = '{portalfeed}:';

/** What the production prefix holds: its key names and its write counter. */
export interface PrefixSnapshot {
  keys: Set<string>;
  version: string | null;
}

export async function snapshotPrefix(client: Redis, prefix: string): Promise<PrefixSnapshot> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) keys.add(key);
  } while (cursor !== '0');
  return { keys, version: await client.get(`${prefix}version`) };
}

/** Keys created under the prefix between two snapshots, and whether an item write happened (version moved). */
export function writesBetween(before: PrefixSnapshot, after: PrefixSnapshot): string[] {
  const created = [...after.keys].filter((key) => !before.keys.has(key)).sort();
  if (before.version !== after.version && !created.includes(`${PRODUCTION_PREFIX}version`)) created.push(`${PRODUCTION_PREFIX}version (changed)`);
  return created;
}

function connect(): Promise<Redis> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => (lastError = err));
  return client.connect().then(
    () => client.ping().then(() => client),
    (cause: Error) => {
      client.disconnect();
      throw lastError ?? cause;
    },
  );
}

/**
 * The store contract runs against a real Redis; a missing one stops the run at once with one
 * message (vitest would otherwise print "No test files found" first). Afterwards, the run must have
 * left the production prefix as it found it, whatever REDIS_URL pointed at.
 */
export default async function setup(): Promise<() => Promise<void>> {
  let client: Redis;
  try {
    client = await connect();
  } catch (cause) {
    process.stderr.write(
      `\nRedis does not answer at ${TEST_REDIS_URL} (${(cause as Error).message}). The store tests need one: ` +
        `start it with "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''" ` +
        `(Debian: apt-get install redis-server), or set REDIS_URL.\n\n`,
    );
    process.exit(1);
  }
  const before = await snapshotPrefix(client, PRODUCTION_PREFIX);
  client.disconnect();
  return async () => {
    const after = await connect();
    try {
      const written = writesBetween(before, await snapshotPrefix(after, PRODUCTION_PREFIX));
      if (written.length) {
        // vitest reports an error thrown here but still exits 0
        process.exitCode = 1;
        process.stderr.write(
          `\nThe tests wrote ${written.length} key(s) under the production prefix ${PRODUCTION_PREFIX} of ${TEST_REDIS_URL} ` +
            `(${written.slice(0, 5).join(', ')}${written.length > 5 ? ', …' : ''}): every test must use a prefix of its own ` +
            `and start child processes with childEnv() from tests/helpers/env.ts.\n\n`,
        );
      }
    } finally {
      after.disconnect();
    }
  };
}
