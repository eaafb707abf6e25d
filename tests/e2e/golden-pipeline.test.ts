import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import type { Item } from '../../src/core/types.js';
import { startReplayPortal, type ReplayPortal, type ReplayRoute } from '../../src/replay/index.js';
import { canonicalUrl } from '../../src/store/index.js';
import { ROOT, parseTestConfig, rawTestConfig } from '../helpers/app.js';

interface Golden {
  name: string;
  file: string;
  path: string;
  url: string;
  title: string;
  publishedAt: string | null;
  author: string | null;
  sourceName: string | null;
  charset?: string;
  notContains?: string[];
}

const PAGES = join(ROOT, 'tests/fixtures/pages');

function goldens(): Golden[] {
  return ['liferay', 'portal', 'wordpress'].flatMap((family) =>
    readdirSync(join(PAGES, family))
      .filter((f) => f.endsWith('.expected.json'))
      .map((f) => {
        const expected = JSON.parse(readFileSync(join(PAGES, family, f), 'utf8')) as Omit<Golden, 'name' | 'file' | 'path'>;
        const url = new URL(expected.url);
        const name = `${family}/${f.replace('.expected.json', '')}`;
        return { ...expected, name, file: join(PAGES, family, f.replace('.expected.json', '.html')), path: url.pathname + url.search };
      }),
  );
}

function listingHtml(pages: Golden[]): string {
  const items = pages.map((g) => `<li><h3><a href="${g.path}">${g.title}</a></h3><p>Tóm tắt bài viết.</p></li>`).join('\n');
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/gioi-thieu">Giới thiệu</a></nav>
<main><h1>Tin tức - Sự kiện</h1><ul class="list">${items}</ul></main>
<footer>Cổng Thông tin điện tử</footer></body></html>`;
}

/** Every golden fixture page, served at its own path, crawled with no selectors and no link pattern. */
describe('golden fixtures through replay portal → crawl → feed, with no selectors', () => {
  const pages = goldens();
  let portal: ReplayPortal;
  let app: App;
  let items: Item[];

  beforeAll(async () => {
    const routes: Record<string, ReplayRoute> = { '/tin-tuc': { body: listingHtml(pages) } };
    for (const g of pages) {
      routes[g.path] = { file: g.file, contentType: `text/html; charset=${g.charset ?? 'utf-8'}` };
    }
    portal = await startReplayPortal({ routes, robots: 'User-agent: *\nAllow: /\n', host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const source = { ...raw.sources[0], linkPattern: undefined, selectors: {}, maxPages: 1 };
    app = await createApp(parseTestConfig({ ...raw, sources: [source] }), silentLogger());
    const summary = await app.crawler.run('quangtri');
    expect(summary.failed).toBe(0);
    expect(summary.articlesFetched).toBe(pages.length);
    items = await app.store.latest({ limit: 200 });
    console.log(`golden pipeline: ${pages.length} pages → ${items.length} items (${summary.duplicate + summary.merged} merged as duplicates)`);
  });
  afterAll(async () => {
    await app?.close();
    await portal?.close();
  });

  it('has at least 15 golden articles over the three families', () => {
    expect(pages.length).toBeGreaterThanOrEqual(15);
  });

  it.each(goldens().map((g) => [g.name, g] as const))('%s keeps its golden fields in the store and the feed', async (_name, g) => {
    const url = canonicalUrl(`${portal.url}${g.path}`);
    const item = items.find((i) => i.url === url || i.aliases.includes(url));
    expect(item, `no item for ${url}`).toBeDefined();
    if (item!.url !== url) return; // merged into an earlier version of the same article: an alias of it
    expect(item!.title).toBe(g.title);
    if (g.publishedAt) expect(item!.publishedAt).toBe(g.publishedAt);
    else expect(item!.dateIsFirstSeen).toBe(true);
    expect(item!.author).toBe(g.author);
    expect(item!.sourceName).toBe(g.sourceName);
    for (const text of g.notContains ?? []) expect(item!.contentHtml).not.toContain(text);
    expect(item!.contentHtml).not.toMatch(/<script|\son\w+=|javascript:/i);
    const feed = await new Parser().parseString((await app.publisher.get('all', null, 'rss', 200))!.body.toString());
    expect(feed.items.filter((entry) => entry.guid === item!.guid)).toHaveLength(1);
  });
});
