import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import type { CrawlSummary } from '../../src/crawl/summary.js';
import { startReplayPortal, type ReplayPortal, type ReplayRoute } from '../../src/replay/index.js';
import { onCleanup } from '../lib/cleanup.js';
import type { BenchContext } from '../lib/context.js';
import { ROOT } from '../lib/proc.js';
import { infoRow, limitRow, type Row } from '../lib/report.js';
import { tempDir } from '../lib/stores.js';
import { articlePage, listingPage, listingPath, seededRng } from '../lib/synth.js';

const LISTING_PAGES = 50;
const ARTICLES = 1000;
const HTML = 'text/html; charset=utf-8';

/** 50 listing pages of 20 articles each, newest first, chained by rel=next links. */
function portalRoutes(): Record<string, ReplayRoute> {
  const rng = seededRng(4);
  const articles = Array.from({ length: ARTICLES }, (_, i) => articlePage(ARTICLES - i, rng));
  const perPage = ARTICLES / LISTING_PAGES;
  const routes: Record<string, ReplayRoute> = {};
  for (let page = 1; page <= LISTING_PAGES; page++) {
    const slice = articles.slice((page - 1) * perPage, page * perPage);
    routes[listingPath(page)] = { body: listingPage(page, slice, page === LISTING_PAGES), contentType: HTML };
  }
  for (const a of articles) routes[a.path] = { body: a.html, contentType: HTML };
  return routes;
}

async function crawlApp(portal: ReplayPortal): Promise<App> {
  const raw = {
    server: { port: 0, publicUrl: 'http://127.0.0.1' },
    store: { redisUrl: null, dataDir: tempDir('crawl') },
    feed: { title: 'Tin tức tỉnh Quảng Trị', description: 'Benchmark', language: 'vi', maxItems: 50 },
    sources: [
      {
        id: 'bench',
        name: 'Cổng Thông tin điện tử tỉnh Quảng Trị',
        baseUrl: portal.url,
        schedule: '0 0 1 1 *',
        sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
        linkPattern: '^/tin-tuc/[a-z0-9-]+$',
        maxPages: LISTING_PAGES,
        selectors: {},
        http: { timeoutMs: 10_000, retries: 0, concurrency: 4, delayMs: 0 },
      },
    ],
  };
  const app = await createApp(parseConfig(raw, { file: join(ROOT, 'config/bench.yaml'), env: {} }), silentLogger());
  onCleanup(() => app.close());
  return app;
}

interface CrawlRun {
  summary: CrawlSummary;
  seconds: number;
  listing: number;
  listing304: number;
  articles: number;
}

async function crawl(app: App, portal: ReplayPortal, options: { backfill?: number }): Promise<CrawlRun> {
  portal.reset();
  const start = performance.now();
  const summary = await app.crawler.run('bench', options);
  const seconds = (performance.now() - start) / 1000;
  const isListing = (path: string): boolean => path === '/tin-tuc' || path.startsWith('/tin-tuc?page=');
  const listing = portal.requests.filter((r) => isListing(r.path));
  return {
    summary,
    seconds,
    listing: listing.length,
    listing304: listing.filter((r) => r.status === 304).length,
    articles: portal.requests.filter((r) => r.path.startsWith('/tin-tuc/')).length,
  };
}

/** Section 4: a first crawl of a 1,000-article synthetic portal, then a second one of the unchanged portal. */
export async function runCrawl(ctx: BenchContext): Promise<Row[]> {
  const portal = await startReplayPortal({ routes: portalRoutes(), robots: 'User-agent: *\nDisallow: /admin/\n', host: '127.0.0.1', port: 0 });
  onCleanup(() => portal.close());
  const app = await crawlApp(portal);
  ctx.log(`crawl: first crawl (backfill ${LISTING_PAGES})`);
  const first = await crawl(app, portal, { backfill: LISTING_PAGES });
  ctx.log('crawl: second crawl of the unchanged portal');
  const second = await crawl(app, portal, {});
  const s = '4 crawl cost';
  const versus = (metric: string, a: number, b: number, unit: string): Row => ({
    ...infoRow({ section: s, metric, portalfeed: a, baseline: b, unit }),
    ratio: b ? a / b : null,
  });
  return [
    infoRow({ section: s, metric: 'first crawl: listing pages / articles requested', portalfeed: `${first.listing} / ${first.articles}` }),
    infoRow({ section: s, metric: 'first crawl: new items stored', portalfeed: `${first.summary.new} of ${ARTICLES} (${first.summary.outcome})` }),
    versus('requests, second vs first crawl', second.summary.requests, first.summary.requests, 'req'),
    versus('bytes, second vs first crawl', second.summary.bytes, first.summary.bytes, 'B'),
    versus('seconds, second vs first crawl', second.seconds, first.seconds, 's'),
    infoRow({ section: s, metric: 'first crawl: articles/s end to end', portalfeed: first.summary.articlesFetched / first.seconds, unit: '/s' }),
    limitRow({ section: s, metric: 'second crawl: article requests', portalfeed: second.articles }, { text: '0', test: (v) => v === 0 }),
    {
      ...infoRow({ section: s, metric: 'second crawl: listing pages answered 304', portalfeed: `${second.listing304}/${second.listing}` }),
      goal: 'all',
      pass: second.listing > 0 && second.listing304 === second.listing,
    },
  ];
}
