import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { errorKind } from '../../src/core/errors.js';
import { inlineParser, workerParser } from '../../src/crawl/parser.js';
import { fingerprint } from '../../src/store/identity.js';
import { loadReplaySite, startReplayPortal } from '../../src/replay/index.js';
import { createTagger, loadTaxonomy } from '../../src/tag/index.js';
import { PORTAL_SITE, ROOT, parseTestConfig, rawTestConfig } from '../helpers/app.js';

const PAGE = readFileSync(join(PORTAL_SITE, 'articles/ngay-hoi-huong-hoa.html'), 'utf8');
const URL_ = 'https://www.quangtri.gov.vn/tin-tuc/ngay-hoi-huong-hoa';
const NOW = new Date('2024-02-01T00:00:00Z');

describe('extraction in worker threads', () => {
  const taxonomy = loadTaxonomy(join(ROOT, 'config/categories.yaml'));
  const tagger = createTagger(taxonomy);
  const pool = workerParser(2, silentLogger(), { tagger, taxonomy });
  const inline = inlineParser(tagger);
  afterAll(() => pool.close());

  it('gives what the main thread gives, for articles and listings, many at once', async () => {
    const expected = await inline.article(PAGE, URL_, { now: NOW });
    const results = await Promise.all(Array.from({ length: 6 }, () => pool.article(PAGE, URL_, { now: NOW })));
    for (const result of results) expect(result).toEqual(expected);
    const listingHtml = readFileSync(join(PORTAL_SITE, 'listing-1.html'), 'utf8');
    const listingUrl = 'https://www.quangtri.gov.vn/tin-tuc';
    expect(await pool.listing(listingHtml, listingUrl, {})).toEqual(await inline.listing(listingHtml, listingUrl, {}));
  });

  it('tags and fingerprints an article in the worker as the main thread does', async () => {
    const article = await inline.article(PAGE, URL_, { now: NOW });
    const input = { title: article.title, lead: article.lead, text: article.text, section: article.section ?? 'Tin tức - Sự kiện' };
    const expected = tagger.tag(input);
    expect(expected.categories.length).toBeGreaterThan(0);
    const facts = { tags: expected, fingerprint: fingerprint(input.title, input.text) };
    expect(await pool.facts(input)).toEqual(facts);
    expect(await inline.facts(input)).toEqual(facts);
  });

  it.runIf(process.platform === 'linux')('runs the workers five nice levels below the thread that serves', async () => {
    await pool.article(PAGE, URL_, { now: NOW });
    await Promise.all([pool.article(PAGE, URL_, { now: NOW }), pool.article(PAGE, URL_, { now: NOW })]);
    const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
    const niceValues = readdirSync('/proc/self/task').map(nice);
    const lowered = Math.min(19, getPriority() + 5);
    expect(niceValues.filter((n) => n === lowered).length).toBeGreaterThanOrEqual(2);
  });

  it('a page the extractor refuses fails with the same error kind as in the main thread', async () => {
    const inlineErr = await inline.article('<html><body></body></html>', URL_, { now: NOW }).catch((err: unknown) => err);
    const poolErr = await pool.article('<html><body></body></html>', URL_, { now: NOW }).catch((err: unknown) => err);
    expect(poolErr).toBeInstanceOf(Error);
    expect(errorKind(poolErr)).toBe(errorKind(inlineErr));
    expect((poolErr as Error).message).toBe((inlineErr as Error).message);
  });

  it('reads a page (article and its kind) as the main thread does, a refused page keeping its failure', async () => {
    expect(await pool.page(PAGE, URL_, { now: NOW })).toEqual(await inline.page(PAGE, URL_, { now: NOW }));
    const empty = '<html><head><title>Không tìm thấy trang</title></head><body></body></html>';
    const [pooled, inThread] = [await pool.page(empty, URL_, { now: NOW }), await inline.page(empty, URL_, { now: NOW })];
    expect(pooled.article).toBeNull();
    expect(pooled.verdict).toEqual(inThread.verdict);
    expect(pooled.failure).toBeInstanceOf(Error);
    expect(errorKind(pooled.failure)).toBe(errorKind(inThread.failure));
  });

  it('a crawl through the pool stores what an in-thread crawl stores', async () => {
    const portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const runWith = async (parseWorkers: number) => {
      const raw = rawTestConfig(portal.url, 'embedded');
      const app = await createApp(parseTestConfig({ ...raw, crawl: { parseWorkers } }), silentLogger());
      try {
        const summary = await app.crawler.run('quangtri');
        const items = (await app.store.latest({ limit: 50 })).map(({ firstSeenAt: _f, ...item }) => item);
        return { summary: [summary.new, summary.failed, summary.errors], items };
      } finally {
        await app.close();
      }
    };
    try {
      const [pooled, inThread] = [await runWith(1), await runWith(0)];
      expect(pooled.summary).toEqual(inThread.summary);
      expect(pooled.items).toEqual(inThread.items);
      expect(pooled.items).toHaveLength(4);
    } finally {
      await portal.close();
    }
  });
});
