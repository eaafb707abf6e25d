import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSince } from '../../src/publish/filter.js';
import { makeItem } from '../publish/fixtures.js';
import { MemoryStore } from '../publish/memory-store.js';
import { startHarness, type Harness } from '../serve/harness.js';

const titlesOf = (json: string) => (JSON.parse(json) as { items: Array<{ title: string }> }).items.map((i) => i.title);

describe('filter parameters on feed routes', () => {
  let h: Harness;
  const store = new MemoryStore();

  beforeAll(async () => {
    store.put(
      makeItem({
        title: 'Lễ hội du lịch biển Cửa Việt',
        text: 'Hàng nghìn du khách đến Cửa Việt.',
        lead: null,
        categories: ['kinh-te'],
        publishedAt: '2024-01-20T01:00:00.000Z',
      }),
    );
    store.put(
      makeItem({
        title: 'Hội nghị tổng kết công tác Đảng',
        text: 'Phát triển DU LỊCH cộng đồng là nhiệm vụ trọng tâm.',
        lead: null,
        categories: ['xay-dung-dang'],
        publishedAt: '2024-01-19T16:30:00.000Z',
      }),
    );
    store.put(
      makeItem({
        title: 'Nông dân thu hoạch lúa',
        text: 'Năng suất lúa đạt 58 tạ mỗi héc-ta, lịch thời vụ được tuân thủ.',
        lead: null,
        categories: ['kinh-te'],
        sourceIds: ['snnmt'],
        publishedAt: '2024-01-18T03:00:00.000Z',
      }),
    );
    h = await startHarness({ store });
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(['du lich', 'DU LỊCH', 'du lịch', 'Du lịch'.normalize('NFD'), '"du lich"'])(
    '?q=%s matches "du lịch" in title or text, whatever the case and tones',
    async (q) => {
      const res = await h.request('GET', `/feed.json?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(titlesOf(res.text).sort()).toEqual(['Hội nghị tổng kết công tác Đảng', 'Lễ hội du lịch biển Cửa Việt']);
    },
  );

  it('every word must be there, as a whole word; a "quoted phrase" in that order', async () => {
    expect(titlesOf((await h.request('GET', '/feed.json?q=lich%20vu')).text).sort()).toEqual([
      'Hội nghị tổng kết công tác Đảng',
      'Nông dân thu hoạch lúa',
    ]);
    expect(titlesOf((await h.request('GET', '/feed.json?q=thoi%20lich')).text)).toEqual(['Nông dân thu hoạch lúa']);
    expect(titlesOf((await h.request('GET', '/feed.json?q=%22thoi%20lich%22')).text)).toEqual([]);
    expect(titlesOf((await h.request('GET', '/feed.json?q=%22lich%20thoi%20vu%22')).text)).toEqual(['Nông dân thu hoạch lúa']);
    expect(titlesOf((await h.request('GET', '/feed.json?q=lic')).text)).toEqual([]);
  });

  it('category (any of), source, since and limit combine; the channel title says what the feed is filtered on', async () => {
    expect(titlesOf((await h.request('GET', '/feed.json?category=kinh-te')).text)).toEqual([
      'Lễ hội du lịch biển Cửa Việt',
      'Nông dân thu hoạch lúa',
    ]);
    expect(titlesOf((await h.request('GET', '/feed.json?category=kinh-te,xay-dung-dang&limit=2')).text)).toHaveLength(2);
    expect(titlesOf((await h.request('GET', '/feed.json?source=snnmt')).text)).toEqual(['Nông dân thu hoạch lúa']);
    // 2024-01-20 in Asia/Ho_Chi_Minh starts at 2024-01-19T17:00Z
    expect(titlesOf((await h.request('GET', '/feed.json?since=2024-01-20')).text)).toEqual(['Lễ hội du lịch biển Cửa Việt']);
    expect(titlesOf((await h.request('GET', '/feed.json?since=2024-01-19T16:00:00Z')).text)).toHaveLength(2);
    const rss = await h.request('GET', '/feed.xml?q=du%20l%E1%BB%8Bch&category=kinh-te');
    expect(rss.status).toBe(200);
    expect(rss.text).toContain('<title>Tin tức tỉnh Quảng Trị (lọc: tìm “du lịch”; chuyên mục Kinh tế)</title>');
    expect(rss.text).toContain('feed.xml?q=du%20l%E1%BB%8Bch&amp;category=kinh-te');
    expect((await h.request('GET', '/category/kinh-te/feed.json?source=quangtri')).text).toContain('Lễ hội du lịch');
  });

  it('each filtered URL has its own ETag and answers conditional GETs; the unfiltered feed is unchanged', async () => {
    const plain = await h.request('GET', '/feed.xml');
    const a = await h.request('GET', '/feed.xml?q=du%20lich');
    const b = await h.request('GET', '/feed.xml?category=kinh-te');
    expect(new Set([plain.headers.etag, a.headers.etag, b.headers.etag]).size).toBe(3);
    expect(plain.text).not.toContain('lọc:');
    const again = await h.request('GET', '/feed.xml?q=du%20lich', { 'If-None-Match': a.headers.etag as string });
    expect(again.status).toBe(304);
    // the same filter spelt otherwise is the same feed
    expect((await h.request('GET', '/feed.xml?q=du%20lich')).headers.etag).toBe(a.headers.etag);
  });

  it.each([
    ['q=', 'q'],
    ['q=%20%20', 'q'],
    ['category=khong-co', 'category'],
    ['category=', 'category'],
    ['source=nowhere', 'source'],
    ['since=yesterday', 'since'],
    ['since=2024-02-30', 'since'],
    ['since=2024-01-20T25:00', 'since'],
    ['q=x&limit=0', 'limit'],
  ])('a bad value (%s) is a 400 naming the parameter', async (query, param) => {
    const res = await h.request('GET', `/feed.xml?${query}`);
    expect(res.status).toBe(400);
    expect(res.text.startsWith(param)).toBe(true);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('since: an ISO date or time, Vietnamese time when it has no offset', () => {
    expect(new Date(parseSince('2024-01-20')).toISOString()).toBe('2024-01-19T17:00:00.000Z');
    expect(new Date(parseSince('2024-01-20T08:30')).toISOString()).toBe('2024-01-20T01:30:00.000Z');
    expect(new Date(parseSince('2024-01-20T08:30:00+0900')).toISOString()).toBe('2024-01-19T23:30:00.000Z');
    expect(new Date(parseSince('2024-01-20T08:30:00Z')).toISOString()).toBe('2024-01-20T08:30:00.000Z');
  });

  it('keeps filtered renders bounded (LRU) however many distinct filters are asked for', async () => {
    for (let i = 0; i < 80; i++) expect((await h.request('GET', `/feed.json?q=tu${i}`)).status).toBe(200);
    const first = await h.request('GET', '/feed.json?q=du%20lich');
    expect(first.status).toBe(200);
  });
});
