import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { ItemStore } from '../../src/core/types.js';
import { Crawler } from '../../src/crawl/crawler.js';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { openStore, type OpenStore } from '../../src/store/index.js';
import { createTagger, loadTaxonomy } from '../../src/tag/index.js';
import { testConfig, type StoreKind } from '../helpers/app.js';
import { articlePath, pagedSite } from '../helpers/paged-site.js';
import { dropPrefix } from '../helpers/redis.js';

const PAGES = 3;
const PER_PAGE = 6;

type Fault = 'abort' | 'refuse';

/**
 * The store as the crawler sees it: after `upserts` stored articles it either aborts the run (as SIGTERM does)
 * or refuses every further write (as a Redis that went away or a full disk does).
 */
function faultyStore(store: OpenStore, upserts: number, fault: Fault, abort: AbortController): OpenStore {
  let stored = 0;
  const refusing = () => fault === 'refuse' && stored >= upserts;
  const refuse = () => new StoreError('STORE_UNAVAILABLE', 'store refuses writes (test)');
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'upsert') {
        return async (...args: Parameters<ItemStore['upsert']>) => {
          if (refusing()) throw refuse();
          const outcome = await target.upsert(...args);
          stored += 1;
          if (fault === 'abort' && stored === upserts) abort.abort(new Error('shutdown'));
          return outcome;
        };
      }
      if (prop === 'setState' || prop === 'setValidators') {
        return async (...args: unknown[]) => {
          if (refusing()) throw refuse();
          return (target[prop] as (...a: unknown[]) => Promise<void>)(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe.each<StoreKind>(['embedded', 'redis'])('resumable crawls (%s store)', (kind) => {
  let portal: ReplayPortal | undefined;
  let store: OpenStore | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await store?.close();
    await portal?.close();
    await cleanup?.();
  });

  async function setUp() {
    const site = pagedSite(PAGES, PER_PAGE);
    portal = await startReplayPortal({ routes: site.routes, host: '127.0.0.1', port: 0 });
    // Articles answer slowly, so an interruption finds requests in flight.
    for (let n = 1; n <= site.total; n++) portal.setFault(articlePath(n), { kind: 'slow', delayMs: 20 });
    const config = testConfig(portal.url, kind);
    cleanup = async () => {
      if (kind === 'redis') await dropPrefix(config.store.keyPrefix);
      rmSync(config.store.dataDir, { recursive: true, force: true });
    };
    store = await openStore({ ...config.store, logger: silentLogger() });
    const tagger = createTagger(loadTaxonomy(config.taxonomyPath));
    const crawler = (s: OpenStore) =>
      new Crawler({
        sources: config.sources,
        store: s,
        lock: store!.lock,
        tagger,
        logger: silentLogger(),
        userAgent: 'portalfeed-test',
        leaseMs: 30_000,
        parseWorkers: config.crawl.parseWorkers,
      });
    return { total: site.total, store, crawler };
  }

  it.each<[Fault, number]>([
    ['abort', PER_PAGE + 2],
    ['abort', 1],
    ['refuse', PER_PAGE + 2],
    ['refuse', 3],
  ])('after an interruption (%s after %i articles), one normal run stores every article exactly once', async (fault, after) => {
    const { total, store, crawler } = await setUp();
    const abort = new AbortController();
    const first = crawler(faultyStore(store, after, fault, abort));
    const interrupted = await first.run('quangtri', { signal: abort.signal });
    await first.shutdown(1000);
    expect(interrupted.outcome).toBe('failed');
    const kept = (await store.stats()).items;
    expect(kept).toBeGreaterThanOrEqual(after);
    expect(kept).toBeLessThan(total);

    portal!.reset();
    const next = crawler(store);
    const resumed = await next.run('quangtri');
    await next.shutdown(1000);
    expect(resumed).toMatchObject({ outcome: 'ok', failed: 0, duplicate: 0, merged: 0 });
    expect(interrupted.new + resumed.new).toBe(total);
    expect((await store.stats()).items).toBe(total);
    // Nothing stored is fetched again.
    expect(portal!.requests.filter((r) => r.path.startsWith('/tin-tuc/')).length).toBe(total - kept);
    expect(await store.getState('pending:quangtri')).toBeNull();
    if (fault === 'abort' && after > PER_PAGE) {
      // The first listing page was settled: it now answers 304, and the articles are reached anyway.
      expect(portal!.requests.find((r) => r.path === '/tin-tuc')?.status).toBe(304);
    }

    portal!.reset();
    const again = crawler(store);
    expect(await again.run('quangtri')).toMatchObject({ outcome: 'ok', new: 0, listingNotModified: 1 });
    await again.shutdown(1000);
  });

  it('a run in which the store refused writes fails (the CLI exits 1)', async () => {
    const { store, crawler } = await setUp();
    const summary = await crawler(faultyStore(store, 2, 'refuse', new AbortController())).run('quangtri');
    expect(summary.outcome).toBe('failed');
    expect(summary.reason).toMatch(/store/);
  });
});
