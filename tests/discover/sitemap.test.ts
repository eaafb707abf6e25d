import { describe, expect, it } from 'vitest';
import { parseSitemap, sitemapsFromRobots } from '../../src/discover/index.js';

describe('sitemaps', () => {
  it('reads an index with the lastmod of each child', () => {
    const xml = `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://p.test/news.xml</loc><lastmod>2025-03-07T20:00:00+07:00</lastmod></sitemap>
      <sitemap><loc>/pages.xml</loc></sitemap></sitemapindex>`;
    expect(parseSitemap(xml, 'https://p.test/sitemap.xml')).toEqual({
      kind: 'index',
      news: false,
      entries: [
        { url: 'https://p.test/news.xml', lastmod: '2025-03-07T13:00:00.000Z', published: null, title: null },
        { url: 'https://p.test/pages.xml', lastmod: null, published: null, title: null },
      ],
    });
  });

  it('reads a news sitemap: publication date and title of each entry', () => {
    const xml = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://p.test/tin-tuc/a?x=1&amp;y=2</loc><news:news><news:publication_date>2025-03-03</news:publication_date>
      <news:title>Khai mạc &amp; bế mạc</news:title></news:news></url></urlset>`;
    const parsed = parseSitemap(xml, 'https://p.test/');
    expect(parsed.kind).toBe('urlset');
    expect(parsed.news).toBe(true);
    expect(parsed.entries).toEqual([
      { url: 'https://p.test/tin-tuc/a?x=1&y=2', lastmod: null, published: '2025-03-03T00:00:00.000Z', title: 'Khai mạc & bế mạc' },
    ]);
  });

  it('matches tags by local name (a prefixed sitemaps namespace)', () => {
    const xml = `<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://p.test/a</sm:loc></sm:url></sm:urlset>`;
    expect(parseSitemap(xml, 'https://p.test/').entries.map((e) => e.url)).toEqual(['https://p.test/a']);
  });

  it.each([
    ['an HTML page served at /sitemap.xml', '<!doctype html><html><body>Không tìm thấy</body></html>'],
    ['an empty body', ''],
  ])('%s is no sitemap', (_label, body) => {
    expect(parseSitemap(body, 'https://p.test/')).toEqual({ kind: 'unknown', entries: [], news: false });
  });

  it('takes every Sitemap: line of robots.txt, relative ones resolved', () => {
    const robots =
      'User-agent: *\nDisallow: /admin/\nSitemap: https://p.test/sitemap-index.xml\nsitemap:/news.xml\nSitemap: https://p.test/sitemap-index.xml\n';
    expect(sitemapsFromRobots(robots, 'https://p.test/robots.txt')).toEqual(['https://p.test/sitemap-index.xml', 'https://p.test/news.xml']);
  });
});
