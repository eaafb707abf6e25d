import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type ChainableCommander } from 'ioredis';
import { silentLogger } from '../../src/core/log.js';
import type { ItemCandidate, UpsertStatus } from '../../src/core/types.js';
import { decide, type DecisionReader, type StoredItem } from '../../src/store/decide.js';
import { openStore, type OpenStore, type StoreOptions } from '../../src/store/index.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { dropPrefix } from '../../tests/helpers/redis.js';
import { storeOptionsFor } from '../../tests/store/helpers.js';
import { onCleanup } from './cleanup.js';
import { candidate, type Rng } from './synth.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A temp dir removed by the bench's cleanup (also on failure). */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `portalfeed-bench-${label}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function storeOptions(kind: 'embedded' | 'redis', dataDir: string, keyPrefix = `{pf-bench-${randomUUID().slice(0, 8)}}:`): StoreOptions {
  return storeOptionsFor(kind, { dataDir, keyPrefix, redisUrl: REDIS_URL });
}

export async function openBenchStore(options: StoreOptions): Promise<OpenStore> {
  if (options.redisUrl) onCleanup(() => dropPrefix(options.keyPrefix));
  const store = await openStore(options);
  const realClose = store.close.bind(store);
  const close = onCleanup(realClose);
  return Object.assign(store, { close });
}

export interface SeedResult {
  candidates: ItemCandidate[];
  ms: number;
}

/** Upserts `count` new synthetic items one by one through the store's public API (what a crawl does). */
export async function seedByUpsert(
  store: OpenStore,
  from: number,
  count: number,
  rng: Rng,
  size?: { paras: number; wordsEach: number },
): Promise<SeedResult> {
  const candidates = Array.from({ length: count }, (_, i) => candidate(from + i, rng, size));
  const start = performance.now();
  for (const c of candidates) {
    const outcome = await store.upsert(c);
    if (outcome.status !== 'new') throw new Error(`seeding: item ${c.url} was ${outcome.status}, not new (synthetic texts too similar)`);
  }
  return { candidates, ms: performance.now() - start };
}

/** The store internals the bench reaches past `private` for: the decision reader and the Redis write path. */
interface EmbeddedInternals {
  reader(): DecisionReader;
}
interface RedisInternals {
  client: Redis;
  watchingReader(): DecisionReader;
  writeItem(multi: ChainableCommander, before: StoredItem | null, after: StoredItem): void;
}

const NO_READER: DecisionReader = {
  idForKey: async () => null,
  idForHash: async () => null,
  idsForFingerprints: async () => [],
  signatures: async (ids) => ids.map(() => null),
  load: async () => null,
};

/** Stored items exactly as the store's decision builds a new one (fingerprints, hashes, anchors included). */
export async function storedItems(candidates: ItemCandidate[]): Promise<StoredItem[]> {
  const logger = silentLogger();
  const now = new Date();
  const out: StoredItem[] = [];
  for (const c of candidates) out.push((await decide(c, now, NO_READER, -1, logger)).after);
  return out;
}

/**
 * Bulk seeding of the embedded store: the store's own writeItem for every item in one transaction, so rows
 * and indexes are exactly what upsert writes. Upserting 100k one by one costs minutes (one fsync each).
 */
export function seedEmbeddedBulk(store: OpenStore, items: StoredItem[]): number {
  const sqlite = store as unknown as SqliteStore;
  const start = performance.now();
  sqlite.transaction(() => {
    for (const item of items) sqlite.writeItem(item);
  });
  return performance.now() - start;
}

/**
 * Bulk seeding of Redis in pipelined batches through the store's own writeItem, so keys and indexes are
 * exactly what upsert writes, without its ~15 round trips per item.
 */
export async function seedRedisPipelined(store: OpenStore, items: StoredItem[], batch = 500, inFlight = 4): Promise<number> {
  const internals = store as unknown as RedisInternals;
  const start = performance.now();
  const writeBatch = async (slice: StoredItem[]): Promise<void> => {
    const pipe = internals.client.pipeline();
    for (const item of slice) internals.writeItem(pipe, null, item);
    const failed = ((await pipe.exec()) ?? []).find(([err]) => err);
    if (failed) throw failed[0] as Error;
  };
  for (let done = 0; done < items.length; done += batch * inFlight) {
    const slices = Array.from({ length: inFlight }, (_, i) => items.slice(done + i * batch, done + (i + 1) * batch)).filter((s) => s.length);
    await Promise.all(slices.map(writeBatch));
  }
  return performance.now() - start;
}

/**
 * The lookup a store makes for an upsert, without the write: `decide` over the store's own reader
 * (url/alias → exact hash → SimHash bands + MinHash anchors → confirm). Redis WATCHes are released after.
 */
export interface DecisionProbe {
  decide(c: ItemCandidate): Promise<UpsertStatus>;
  /** Ids the fingerprint index returned so far (each one is judged by its signature). */
  candidates: number;
  /** Items read whole so far (the url/hash match, the near duplicate merged into, sketch-plausible candidates). */
  loads: number;
}

export function decisionProbe(store: OpenStore): DecisionProbe {
  const logger = silentLogger();
  const probe: DecisionProbe = { candidates: 0, loads: 0, decide: async () => 'new' };
  const counted = (reader: DecisionReader): DecisionReader => ({
    ...reader,
    load: async (id) => {
      probe.loads++;
      return reader.load(id);
    },
    idsForFingerprints: async (keys, max) => {
      const ids = await reader.idsForFingerprints(keys, max);
      probe.candidates += ids.length;
      return ids;
    },
  });
  if (store.kind === 'embedded') {
    const reader = counted((store as unknown as EmbeddedInternals).reader());
    probe.decide = async (c) => (await decide(c, new Date(), reader, 3, logger)).outcome.status;
    return probe;
  }
  const internals = store as unknown as RedisInternals;
  probe.decide = async (c) => {
    try {
      return (await decide(c, new Date(), counted(internals.watchingReader()), 3, logger)).outcome.status;
    } finally {
      await internals.client.unwatch();
    }
  };
  return probe;
}

export { dropPrefix };
