import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type StoreKind } from '../helpers/app.js';

const SEED_TITLE = 'Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024';
const SEED_PATH = '/chi-tiet-tin/-/view-article/1/';

type Entry = Parser.Item & { 'content:encoded'?: string; 'dc:creator'?: string };
const parser: Parser<Record<string, unknown>, Entry> = new Parser({ customFields: { item: ['content:encoded', 'dc:creator'] } });

function articleRequests(h: Harness): string[] {
  return h.portal.requests.map((r) => r.path).filter((p) => p !== '/robots.txt' && !p.startsWith('/tin-tuc?') && p !== '/tin-tuc');
}

describe.each<StoreKind>(['embedded', 'redis'])('replay portal → crawl → /feed.xml (%s store)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('first crawl stores each article once and counts the dead link as failed', async () => {
    const summary = await h.app.crawler.run('quangtri');
    expect(summary.listingPages).toBe(2);
    expect(summary.new).toBe(4);
    expect(summary.failed).toBe(1);
    expect(summary.errors).toEqual({ http_status: 1 });
    expect(summary.outcome).toBe('partial');
    // The seed under a second category id and the clean twin of the tracking link are known: never fetched.
    const paths = articleRequests(h);
    expect(paths.filter((p) => p.startsWith(SEED_PATH))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('/tin-tuc/tang-cuong-kiem-soat'))).toHaveLength(1);
    expect((await h.app.store.stats()).items).toBe(4);
  });

  it('serves the seed article as one clean RSS item', async () => {
    await h.app.publisher.refresh();
    const response = await fetch(`${h.url}/feed.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const feed = await parser.parseString(await response.text());
    expect(feed.items).toHaveLength(4);
    const seeds = feed.items.filter((item) => item.title === SEED_TITLE);
    expect(seeds).toHaveLength(1);
    const seed = seeds[0]!;
    expect(new Date(seed.pubDate!).toISOString()).toBe('2024-01-19T12:48:00.000Z');
    expect(seed['dc:creator'] ?? seed.creator).toBe('Tiến Nhất');
    expect(seed.link).toMatch(/\/chi-tiet-tin\/-\/view-article\/1\/1234\/1705668480000$/);
    expect(seed.guid).toBeTruthy();
    const content = seed['content:encoded'] ?? '';
    expect(content).toContain('Ban Thường vụ (BTV) Tỉnh ủy');
    expect(content).toContain('Các đại biểu tham dự tại hội nghị');
    expect(content).toContain('Dịp này, BTV Tỉnh ủy tặng bằng khen cho 20 tập thể');
    expect(content).not.toContain('Các tin khác');
    expect(content).not.toContain('Chi tiết bài viết tạm thời không có.');
    expect(content).not.toMatch(/<p>\s*(<strong>|<b>)?\s*Tiến Nhất/);
    expect(content).not.toMatch(/<script|onerror=|javascript:/i);
    expect(seed.categories?.length).toBeGreaterThan(0);
    expect(feed.items.map((i) => i.title)).toContain('Khởi công dự án đường ven biển kết nối hành lang kinh tế Đông - Tây');
    // newest first
    const dates = feed.items.map((i) => Date.parse(i.pubDate!));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('a second crawl of the unchanged portal makes no article request and gets 304 for the listing', async () => {
    const guidsBefore = (await h.app.store.latest({ limit: 50 })).map((i) => i.guid).sort();
    h.portal.reset();
    const summary = await h.app.crawler.run('quangtri');
    expect(summary.new).toBe(0);
    expect(summary.listingNotModified).toBe(1);
    expect(articleRequests(h)).toEqual([]);
    expect(h.portal.requests.filter((r) => r.path === '/tin-tuc').map((r) => r.status)).toEqual([304]);
    const guidsAfter = (await h.app.store.latest({ limit: 50 })).map((i) => i.guid).sort();
    expect(guidsAfter).toEqual(guidsBefore);
  });

  it('backfill walks every listing page (even with nothing new) and reports progress, fetching no known article', async () => {
    h.portal.reset();
    const pages: number[] = [];
    const summary = await h.app.crawler.run('quangtri', { backfill: 5, onProgress: (p) => pages.push(p.page) });
    expect(pages).toEqual([1, 2]);
    expect(summary.listingPages).toBe(2);
    expect(summary.listingNotModified).toBe(0);
    expect(articleRequests(h)).toEqual(['/tin-tuc/bai-viet-da-go-bo']);
  });

  it('keeps serving the stored feed when the portal fails entirely', async () => {
    h.portal.setFault('/tin-tuc', { kind: 'status', status: 500 });
    const summary = await h.app.crawler.run('quangtri', { refresh: true });
    expect(summary.outcome).toBe('failed');
    h.portal.setFault('/tin-tuc', null);
    await h.app.publisher.refresh();
    const feed = await parser.parseString(await (await fetch(`${h.url}/feed.xml`)).text());
    expect(feed.items).toHaveLength(4);
  });
});
