import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { createMetrics } from '../../src/core/metrics.js';
import { openStore, type OpenStore } from '../../src/store/index.js';
import { instrumentStore } from '../../src/store/instrument.js';
import type { ThreadedStore } from '../../src/store/threaded.js';
import { candidate, makeBackend, storeOptionsFor, uniqueArticle, type Backend } from './helpers.js';

const NOW = new Date('2024-02-01T00:00:00Z');

function capture(level = 'info'): { logger: ReturnType<typeof pino>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }), lines };
}

const article = (i: number, publishedAt = `2024-01-${String(1 + i).padStart(2, '0')}T00:00:00.000Z`) => {
  const a = uniqueArticle(i);
  return candidate({ url: `https://x.vn/tin/${i}`, title: a.title, text: a.text, publishedAt });
};

// What the contract suite (tests/store/contract.test.ts, kind `threaded`) does not reach: the thread boundary itself.
describe('embedded store in a worker thread', () => {
  let backend: Backend;
  const opened: OpenStore[] = [];
  const open = async (kind: 'threaded' | 'embedded' = 'threaded', overrides = {}) => {
    const store = await openStore({ ...storeOptionsFor(kind, { dataDir: backend.dataDir, keyPrefix: '', redisUrl: '' }), ...overrides });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    backend = makeBackend('threaded');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await backend.cleanup();
  });

  it('leases name this process and exclude other stores of the process, in threads or not, until released', async () => {
    const threaded = await open('threaded');
    const other = await open('threaded');
    const direct = await open('embedded');
    const lease = await threaded.lock.acquire('crawl:x', 5_000);
    expect(lease).not.toBeNull();
    expect(await other.lock.acquire('crawl:x', 5_000)).toBeNull();
    expect(await direct.lock.acquire('crawl:x', 5_000)).toBeNull();
    expect(await direct.lock.holder('crawl:x')).toMatchObject({ host: hostname(), pid: process.pid });
    expect(await lease!.renew()).toBe(true);
    await lease!.release();
    expect(await lease!.renew()).toBe(false);
    const taken = await direct.lock.acquire('crawl:x', 5_000);
    expect(taken).not.toBeNull();
    expect(await threaded.lock.acquire('crawl:x', 5_000)).toBeNull();
    expect(await threaded.lock.holder('crawl:x')).toMatchObject({ host: hostname(), pid: process.pid });
  });

  it('errors come back as StoreErrors with their code, message, details and cause', async () => {
    const store = await open();
    await store.setState('doc', { a: 1 });
    const db = new Database(join(backend.dataDir, 'portalfeed.db'));
    db.prepare(`UPDATE state SET value = '{' WHERE name = 'doc'`).run();
    db.close();
    const err = (await store.getState('doc').catch((e: unknown) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('STORE_CORRUPT');
    expect(err.message).toMatch(/state doc does not read back as JSON/);
    expect((err.cause as Error).name).toBe('SyntaxError');

    const broken = makeBackend('threaded');
    mkdirSync(broken.dataDir, { recursive: true });
    writeFileSync(join(broken.dataDir, 'portalfeed.db'), 'not a database, '.repeat(512));
    const failed = (await broken.open().catch((e: unknown) => e)) as StoreError;
    await broken.cleanup();
    expect(failed).toBeInstanceOf(StoreError);
    expect(failed.code).toBe('STORE_CORRUPT');
    expect(failed.details).toMatchObject({ sqlite: 'SQLITE_NOTADB' });
    expect(failed.cause).toMatchObject({ name: 'SqliteError', code: 'SQLITE_NOTADB' });
  });

  it('a thread that dies fails the waiting and the later calls with a StoreError naming it; close still resolves', async () => {
    const { logger, lines } = capture('error');
    const store = (await open('threaded', { logger })) as ThreadedStore;
    await store.upsert(article(0), NOW);
    const waiting = Promise.all(Array.from({ length: 20 }, (_, i) => store.upsert(article(i + 1), NOW)));
    await store['worker'].terminate();
    await expect(waiting).rejects.toMatchObject({
      name: 'StoreError',
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/store thread exited/),
    });
    await expect(store.latest({ limit: 10 })).rejects.toBeInstanceOf(StoreError);
    await expect(store.lock.acquire('crawl:x', 1_000)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await store.close();
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/store thread exited/)]);
  });

  it('close lets the calls made before it finish; later calls are refused', async () => {
    const store = await open();
    const writes = Array.from({ length: 20 }, (_, i) => store.upsert(article(i), NOW));
    await store.close();
    expect((await Promise.all(writes)).map((o) => o.status)).toEqual(Array(20).fill('new'));
    await expect(store.get('x')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/is closed/) });
    const reopened = await open('embedded');
    expect((await reopened.stats()).items).toBe(20);
  });

  it('dates and nested objects cross both ways; the store thread logs through the caller’s logger', async () => {
    const { logger, lines } = capture('info');
    const store = await open('threaded', { logger: logger.child({ component: 'store' }), retentionDays: 30 });
    const out = await store.upsert(article(0, '2023-06-01T00:00:00.000Z'), NOW);
    expect(out.item.firstSeenAt).toBe(NOW.toISOString());
    await store.upsert(article(1, '2024-01-30T00:00:00.000Z'), NOW);
    await store.setState('nested', { a: [{ b: 'c' }], n: null });
    expect(await store.getState('nested')).toEqual({ a: [{ b: 'c' }], n: null });
    expect(await store.trim(NOW)).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ component: 'store', removed: 1, msg: 'store: retention trimmed items' }));
  });

  it('instrumentStore still times every operation', async () => {
    const metrics = createMetrics();
    const store = instrumentStore(await open(), metrics);
    await store.upsert(article(0), NOW);
    await store.latest({ limit: 5 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/portalfeed_store_operation_seconds_count\{[^}]*op="upsert"[^}]*\} 1/);
    expect(text).toMatch(/portalfeed_store_operation_seconds_count\{[^}]*op="latest"[^}]*\} 1/);
  });
});
