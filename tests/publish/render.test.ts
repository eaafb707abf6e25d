import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { renderAtom } from '../../src/publish/atom.js';
import { renderJsonFeed } from '../../src/publish/json.js';
import { renderOpml } from '../../src/publish/opml.js';
import { renderRss } from '../../src/publish/rss.js';
import { guessImageType, summarize } from '../../src/publish/summary.js';
import { FEED_XSL } from '../../src/publish/xsl.js';
import { HOSTILE_TITLE, makeItem, makePublisher, PUBLIC_URL } from './fixtures.js';
import { MemoryStore } from './memory-store.js';

/** The lead leads the content as a bold paragraph, then the body. */
const CONTENT = '<p><strong>Lead paragraph</strong></p><p>a ]]> b &amp; <em>c</em></p>';

const XMLLINT = '/usr/bin/xmllint';
const rssParser = new Parser();

function xmllint(xml: string): void {
  if (!existsSync(XMLLINT)) return;
  const file = join(mkdtempSync(join(tmpdir(), 'pf-xml-')), 'feed.xml');
  writeFileSync(file, xml);
  execFileSync(XMLLINT, ['--noout', file], { stdio: 'pipe' });
}

const TITLES = [
  HOSTILE_TITLE,
  'Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024',
  // decomposed (NFD) input must come out NFC
  'Quảng Trị: hội nghị'.normalize('NFD'),
  'Control\u0001chars\u000B removed \uFFFE here',
  '<b>Not bold</b> &amp; not an entity',
];

function ctxFor(hub: string | null = null) {
  return makePublisher(new MemoryStore(), { websubHub: hub }).context('category', 'xay-dung-dang', new Date('2024-02-01T00:00:00Z'));
}

function expected(title: string): string {
  // eslint-disable-next-line no-control-regex
  return title.normalize('NFC').replace(/[\u0001\u000B\uFFFE]/g, '');
}

/** @rowanmanning/feed-parser decodes HTML entities in text after XML parsing, so a literal `&amp;` reads as `&` there. */
function viaFeedParser(text: string): string {
  return text.replace(/&amp;/g, '&');
}

/** The attributes of the first empty element with this name, in any order. */
function attributesOf(xml: string, name: string): Record<string, string> {
  const tag = new RegExp(`<${name}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/>`).exec(xml);
  return Object.fromEntries([...(tag?.[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

function items(title: string): Item[] {
  return [
    makeItem({
      title,
      categories: ['xay-dung-dang', 'kinh-te', 'unknown-slug'],
      lead: 'Lead paragraph',
      contentHtml: '<p>a ]]> b &amp; <em>c</em></p>',
    }),
    makeItem({
      guid: 'https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/5/1705668480000',
      url: 'https://www.quangtri.gov.vn/tin-tuc/moi',
      author: null,
      image: null,
      sourceName: null,
      updatedAt: '2024-03-01T10:00:00.000Z',
    }),
  ];
}

describe('RSS 2.0', () => {
  it.each(TITLES)('round-trips title %j through both parsers and xmllint', async (title) => {
    const xml = renderRss(items(title), ctxFor());
    xmllint(xml);
    const parsed = await rssParser.parseString(xml);
    expect(parsed.items[0]?.title).toBe(expected(title));
    const feed = parseFeed(xml);
    expect(feed.items[0]?.title).toBe(viaFeedParser(expected(title)));
    expect(feed.items[0]?.content).toBe(viaFeedParser(CONTENT));
  });

  it('carries every required channel and item element', async () => {
    const list = items('Tin A');
    const xml = renderRss(list, ctxFor('https://hub.example/'));
    // feed@6 writes `encoding="utf-8"` and the stylesheet's attributes in its own order: the same declarations.
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="utf-8"\?>\s*<\?xml-stylesheet (?=[^?]*type="text\/xsl")(?=[^?]*href="\/feed\.xsl")[^?]*\?>/i,
    );
    for (const ns of [
      'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      'xmlns:dc="http://purl.org/dc/elements/1.1/"',
      'xmlns:atom="http://www.w3.org/2005/Atom"',
    ]) {
      expect(xml).toContain(ns);
    }
    expect(xml).toContain(`<atom:link href="${PUBLIC_URL}/category/xay-dung-dang/feed.xml" rel="self" type="application/rss+xml"/>`);
    expect(xml).toContain('<atom:link href="https://hub.example/" rel="hub"/>');
    expect(xml).toMatch(/<ttl>\d+<\/ttl>/);
    expect(xml).toContain('<language>vi</language>');
    expect(xml).toContain('<generator>portalfeed</generator>');
    // lastBuildDate is the newest change, so identical items render identical bytes
    expect(xml).toContain('<lastBuildDate>Fri, 01 Mar 2024 10:00:00 +0000</lastBuildDate>');
    expect(xml).toContain(`<guid isPermaLink="true">${list[0]!.url}</guid>`);
    expect(xml).toContain(`<guid isPermaLink="false">${list[1]!.guid}</guid>`);
    expect(xml).toMatch(/<pubDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000<\/pubDate>/);
    expect(xml).toContain(`<category domain="${PUBLIC_URL}/category/">Xây dựng Đảng</category>`);
    expect(xml).toContain(`<category domain="${PUBLIC_URL}/category/">unknown-slug</category>`);
    expect(attributesOf(xml, 'enclosure')).toEqual({
      url: 'https://www.quangtri.gov.vn/o/3cmsnew-portlet/ViewImage?imagename=hoi-nghi.png',
      type: 'image/png',
      length: '0',
    });
    expect(xml).toContain(`<source url="${PUBLIC_URL}/source/quangtri/feed.xml">Báo Quảng Trị</source>`);

    const parsed = await rssParser.parseString(xml);
    expect(parsed.title).toBe('Tin tức tỉnh Quảng Trị — Xây dựng Đảng');
    expect(parsed.link).toBe(`${PUBLIC_URL}/`);
    const [first, second] = parsed.items;
    expect(first?.creator).toBe('Tiến Nhất');
    expect(first?.isoDate).toBe(list[0]!.publishedAt);
    expect(first?.guid).toBe(list[0]!.guid);
    expect(first?.enclosure?.type).toBe('image/png');
    expect(second?.creator).toBe('Cổng TTĐT tỉnh Quảng Trị');
    const feed = parseFeed(xml);
    expect(feed.language).toBe('vi');
    expect(feed.self).toBe(`${PUBLIC_URL}/category/xay-dung-dang/feed.xml`);
    expect(feed.items[0]?.authors[0]?.name).toBe('Tiến Nhất');
    expect(feed.items[0]?.categories.map((c) => c.label)).toEqual(['Xây dựng Đảng', 'Kinh tế', 'unknown-slug']);
    expect(feed.items[0]?.mediaImages[0]?.mimeType).toBe('image/png');
    expect(feed.items[1]?.id).toBe(list[1]!.guid);
  });

  // Where feed@6's XML writer needs help (src/publish/rss.ts, forXmlJs): each would break a feed or a byline.
  it('keeps text feed@6 would alter: two ]]> in a title, a literal &amp; in a byline, a guid that is not a WHATWG href', async () => {
    const guid = 'https://www.quangtri.gov.vn/tin-tuc/Quảng Trị';
    const list = [
      makeItem({ title: 'a ]]> b ]]> c', author: 'R&amp;D', categories: ['kinh-te'] }),
      makeItem({ url: guid, guid, contentHtml: '', lead: null, text: 'Chỉ có văn bản.', author: null, sourceName: null }),
    ];
    const xml = renderRss(list, ctxFor());
    xmllint(xml);
    const parsed = await rssParser.parseString(xml);
    expect(parsed.items[0]?.title).toBe('a ]]> b ]]> c');
    expect(parsed.items[0]?.creator).toBe('R&amp;D');
    expect(parsed.items[1]?.guid).toBe(guid);
    expect(parsed.items[1]?.contentSnippet).toBe('Chỉ có văn bản.');
    expect(xml).toContain('<dc:creator>R&amp;amp;D</dc:creator>');
  });

  it('renders a valid empty channel dated at render time', async () => {
    const xml = renderRss([], ctxFor());
    xmllint(xml);
    expect(xml).toContain('<lastBuildDate>Thu, 01 Feb 2024 00:00:00 +0000</lastBuildDate>');
    expect((await rssParser.parseString(xml)).items).toHaveLength(0);
  });
});

describe('Atom 1.0', () => {
  it.each(TITLES)('round-trips title %j through both parsers and xmllint', async (title) => {
    const xml = renderAtom(items(title), ctxFor());
    xmllint(xml);
    expect((await rssParser.parseString(xml)).items[0]?.title).toBe(expected(title));
    const feed = parseFeed(xml);
    expect(feed.items[0]?.title).toBe(viaFeedParser(expected(title)));
    expect(feed.items[0]?.content).toBe(viaFeedParser(CONTENT));
  });

  it('carries ids, dates, authors, categories, links and enclosures', async () => {
    const list = items('Tin A');
    const xml = renderAtom(list, ctxFor('https://hub.example/'));
    expect(xml).toContain('<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>');
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">');
    expect(xml).toContain('<id>urn:portalfeed:feed:category:xay-dung-dang</id>');
    expect(xml).toContain('<title type="text">Tin tức tỉnh Quảng Trị — Xây dựng Đảng</title>');
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${PUBLIC_URL}/category/xay-dung-dang/atom.xml"/>`);
    expect(xml).toContain('<link rel="hub" href="https://hub.example/"/>');
    expect(xml).toContain('<updated>2024-03-01T10:00:00Z</updated>');
    expect(xml).toContain(`<id>urn:uuid:${list[0]!.id}</id>`);
    expect(xml).toContain(`<category term="xay-dung-dang" label="Xây dựng Đảng" scheme="${PUBLIC_URL}/category/"/>`);
    expect(xml).toContain(
      '<link rel="enclosure" type="image/png" href="https://www.quangtri.gov.vn/o/3cmsnew-portlet/ViewImage?imagename=hoi-nghi.png"/>',
    );
    expect(xml).toContain(`<content type="html">${CONTENT.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</content>`);
    const feed = parseFeed(xml);
    expect(feed.self).toBe(`${PUBLIC_URL}/category/xay-dung-dang/atom.xml`);
    expect(feed.url).toBe(`${PUBLIC_URL}/`);
    const [a, b] = feed.items;
    expect(a?.id).toBe(`urn:uuid:${list[0]!.id}`);
    expect(a?.url).toBe(list[0]!.url);
    expect(a?.published?.toISOString()).toBe(list[0]!.publishedAt);
    expect(a?.authors.map((x) => x.name)).toEqual(['Tiến Nhất']);
    expect(a?.categories.map((c) => [c.term, c.label])).toEqual([
      ['xay-dung-dang', 'Xây dựng Đảng'],
      ['kinh-te', 'Kinh tế'],
      ['unknown-slug', 'unknown-slug'],
    ]);
    expect(a?.description).toBe(summarize(list[0]!));
    expect(b?.updated?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(b?.published?.toISOString()).toBe(list[1]!.publishedAt);
    const viaRssParser = await rssParser.parseString(xml);
    expect(viaRssParser.items[0]?.id).toBe(`urn:uuid:${list[0]!.id}`);
    expect(viaRssParser.items[0]?.author).toBe('Tiến Nhất');
  });

  it('uses the stable id urn:portalfeed:feed:all for the main feed', () => {
    const ctx = makePublisher(new MemoryStore()).context('all', null);
    const xml = renderAtom([], ctx);
    xmllint(xml);
    expect(xml).toContain('<id>urn:portalfeed:feed:all</id>');
    expect(xml).toContain(`href="${PUBLIC_URL}/atom.xml"`);
  });
});

describe('JSON Feed 1.1', () => {
  it.each(TITLES)('keeps title %j exact and the document valid JSON', (title) => {
    const feed = JSON.parse(renderJsonFeed(items(title), ctxFor()));
    expect(feed.items[0].title).toBe(expected(title));
    expect(feed.items[0].content_html).toBe(CONTENT);
  });

  it('has the 1.1 fields, tags as category names, RFC 3339 dates and hubs', () => {
    const list = items('Tin A');
    const feed = JSON.parse(renderJsonFeed(list, ctxFor('https://hub.example/')));
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Tin tức tỉnh Quảng Trị — Xây dựng Đảng',
      home_page_url: `${PUBLIC_URL}/`,
      feed_url: `${PUBLIC_URL}/category/xay-dung-dang/feed.json`,
      language: 'vi',
      hubs: [{ type: 'WebSub', url: 'https://hub.example/' }],
    });
    expect(feed.items[0]).toMatchObject({
      id: list[0]!.guid,
      url: list[0]!.url,
      image: list[0]!.image,
      date_published: list[0]!.publishedAt.replace('.000', ''),
      authors: [{ name: 'Tiến Nhất' }],
      tags: ['Xây dựng Đảng', 'Kinh tế', 'unknown-slug'],
      language: 'vi',
      summary: summarize(list[0]!),
    });
    expect(feed.items[1].date_modified).toBe('2024-03-01T10:00:00Z');
    expect(feed.items[1].authors).toEqual([{ name: 'Cổng TTĐT tỉnh Quảng Trị' }]);
    expect(JSON.parse(renderJsonFeed([], ctxFor())).hubs).toBeUndefined();
  });
});

describe('summaries and enclosure types', () => {
  it('cuts at a word boundary near 300 characters with an ellipsis', () => {
    const lead = 'Từ '.repeat(200);
    const s = summarize({ lead, text: '' });
    expect(s.length).toBeLessThanOrEqual(301);
    expect(s.endsWith('Từ…')).toBe(true);
    expect(summarize({ lead: null, text: '  Ngắn   gọn.\n' })).toBe('Ngắn gọn.');
    expect(summarize({ lead: '   ', text: 'Văn bản' })).toBe('Văn bản');
  });

  it.each([
    ['https://x.vn/a/b.JPG', 'image/jpeg'],
    ['https://x.vn/a/b.webp?w=200', 'image/webp'],
    ['https://x.vn/o/3cmsnew-portlet/ViewImage?imagename=a.gif', 'image/gif'],
    ['https://x.vn/image/123', 'image/jpeg'],
    ['https://x.vn/logo.svg', 'image/svg+xml'],
  ])('%s → %s', (url, type) => {
    expect(guessImageType(url)).toBe(type);
  });
});

describe('OPML and XSL', () => {
  it('lists feeds as escaped outlines in well-formed XML', () => {
    const xml = renderOpml([{ title: 'Kinh tế & "Xã hội"', xmlUrl: 'http://a/category/kinh-te/feed.xml', htmlUrl: 'http://a/' }], 'Quảng Trị');
    xmllint(xml);
    expect(xml).toContain(
      '<outline type="rss" text="Kinh tế &amp; &quot;Xã hội&quot;" title="Kinh tế &amp; &quot;Xã hội&quot;" xmlUrl="http://a/category/kinh-te/feed.xml" htmlUrl="http://a/"/>',
    );
    expect(xml).toContain('<opml version="2.0">');
  });

  it('ships a well-formed XSL stylesheet that transforms RSS and Atom', () => {
    xmllint(FEED_XSL);
    if (!existsSync('/usr/bin/xsltproc')) return;
    const dir = mkdtempSync(join(tmpdir(), 'pf-xsl-'));
    writeFileSync(join(dir, 'feed.xsl'), FEED_XSL);
    for (const xml of [renderRss(items('Tin & tức'), ctxFor()), renderAtom(items('Tin & tức'), ctxFor())]) {
      writeFileSync(join(dir, 'feed.xml'), xml);
      const html = execFileSync('/usr/bin/xsltproc', [join(dir, 'feed.xsl'), join(dir, 'feed.xml')], { encoding: 'utf8' });
      expect(html).toContain('Tin &amp; tức');
    }
  });
});
