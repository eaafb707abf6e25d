import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import type { Discovery } from '../../src/discover/index.js';
import type { ReplayPortal } from '../../src/replay/index.js';
import { parseTestConfig, rawTestConfig, serveApp } from '../helpers/app.js';
import { dropPrefix } from '../helpers/redis.js';
import { SITE_ARTICLES, SITE_FAMILIES, SITES_DIR, startSite, type SiteFamily } from '../helpers/sites.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const parser = new Parser();
const HTTP = { timeoutMs: 5000, retries: 0, concurrency: 2, delayMs: 0 };

/** Requests for article-like pages (not robots, sitemaps, homepage or the listings). */
function articleRequests(site: ReplayPortal): string[] {
  return site.requests.map((r) => r.path).filter((p) => /\/view-article\/|^\/tin-tuc\/|^\/\d{4}\//.test(p));
}

describe.each(['embedded', 'redis'] as const)('three portals given by address alone → crawl → /feed.xml (%s store)', (kind) => {
  const sites = {} as Record<SiteFamily, ReplayPortal>;
  let app: App;
  let http: Awaited<ReturnType<typeof serveApp>>;

  beforeAll(async () => {
    for (const family of SITE_FAMILIES) sites[family] = await startSite(family);
    const raw = rawTestConfig('http://unused.test', kind);
    raw.sources = SITE_FAMILIES.map((family) => ({ id: family, name: `Fixture ${family}`, baseUrl: sites[family].url, http: HTTP }));
    app = await createApp(parseTestConfig(raw), silentLogger());
    http = await serveApp(app);
  });
  afterAll(async () => {
    await http?.close();
    await app?.close();
    for (const site of Object.values(sites)) await site.close();
    if (app && kind === 'redis') await dropPrefix(app.config.store.keyPrefix);
    if (app) rmSync(app.config.store.dataDir, { recursive: true, force: true });
  });

  it('discovers each site, stores only its articles and serves them; chrome, listings, tags and error pages never become items', async () => {
    const summaries = await app.crawler.runAll();
    for (const summary of summaries) expect(summary.outcome, `${summary.source}: ${summary.reason}`).toBe('ok');
    const bySource = Object.fromEntries(summaries.map((s) => [s.source, s]));
    expect(bySource.liferay!.new).toBe(SITE_ARTICLES.liferay.length);
    expect(bySource.scripted!.new).toBe(SITE_ARTICLES.scripted.length);
    expect(bySource.wordpress!.new).toBe(SITE_ARTICLES.wordpress.length);
    // The Liferay dead link and the withdrawn news-sitemap entry answer 200 with an error page.
    expect(bySource.liferay!.notArticles).toBe(1);
    expect(bySource.scripted!.notArticles).toBe(1);

    await app.publisher.refresh();
    const feed = await parser.parseString(await (await fetch(`${http.url}/feed.xml`)).text());
    const expected = SITE_FAMILIES.flatMap((family) => SITE_ARTICLES[family]);
    expect(feed.items.map((item) => item.title).sort()).toEqual([...expected].sort());
    for (const item of feed.items) expect(item.pubDate).toBeTruthy();
  });

  it('keeps what it discovered in the store and reuses it: a second run fetches no article and no homepage', async () => {
    const stored = await app.store.getState<Discovery>('discovery:liferay');
    expect(stored?.sections.map((s) => s.url)).toEqual(['/tin-tuc-su-kien', '/hoat-dong-cua-so', '/nong-nghiep-nong-thon']);
    expect((await app.store.getState<Discovery>('discovery:scripted'))?.sitemaps).toEqual([`${sites.scripted.url}/sitemap-index.xml`]);
    for (const site of Object.values(sites)) site.reset();
    const summaries = await app.crawler.runAll();
    for (const summary of summaries) {
      expect(summary.outcome).toBe('ok');
      expect(summary.new).toBe(0);
    }
    for (const family of SITE_FAMILIES) {
      expect(articleRequests(sites[family]), family).toEqual([]);
      expect(
        sites[family].requests.filter((r) => r.path === '/'),
        family,
      ).toEqual([]);
    }
    // The sitemap index answers 304: its children are not read again.
    expect(sites.scripted.requests.filter((r) => r.path.endsWith('.xml')).map((r) => `${r.path} ${r.status}`)).toEqual(['/sitemap-index.xml 304']);
  });

  it('--rediscover reads the homepage again, and fetches no stored article', async () => {
    for (const site of Object.values(sites)) site.reset();
    const summary = await app.crawler.run('liferay', { rediscover: true });
    expect(summary.outcome).toBe('ok');
    expect(sites.liferay.requests.filter((r) => r.path === '/')).toHaveLength(1);
    expect(articleRequests(sites.liferay)).toEqual([]);
  });

  it('a newer lastmod in the sitemap refetches that article only, and its edit reaches the store', async () => {
    const dir = join(SITES_DIR, 'scripted');
    const slug = '/tin-tuc/hoan-thanh-sap-xep-don-vi-hanh-chinh-cap-xa';
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const edited = (xml: string, from: string) => xml.replace(from, '2025-03-09T10:00:00+07:00');
    const news = read('news-sitemap.xml').replace(
      `${slug}</loc><lastmod>2025-03-05T15:20:00+07:00`,
      `${slug}</loc><lastmod>2025-03-09T10:00:00+07:00`,
    );
    sites.scripted.setRoute('/news-sitemap.xml', { body: news, contentType: 'application/xml' });
    sites.scripted.setRoute('/sitemap-index.xml', {
      body: edited(read('sitemap-index.xml'), '2025-03-07T20:00:00+07:00'),
      contentType: 'application/xml',
    });
    const article = read('articles/hoan-thanh-sap-xep-don-vi-hanh-chinh-cap-xa.html').replace('đạt trên 96%', 'đạt trên 97%');
    sites.scripted.setRoute(slug, { body: article, contentType: 'text/html; charset=utf-8' });
    sites.scripted.reset();
    const summary = await app.crawler.run('scripted');
    expect(summary.outcome).toBe('ok');
    expect(articleRequests(sites.scripted)).toEqual([slug]);
    expect(summary.updated, JSON.stringify(summary)).toBe(1);
    const items = await app.store.latest({ source: 'scripted', limit: 10 });
    expect(items.find((item) => item.url.endsWith(slug))?.text).toContain('đạt trên 97%');
  });
});
