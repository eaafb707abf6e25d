import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT, parseTestConfig, rawTestConfig, testConfig } from '../helpers/app.js';

describe('a source that already publishes RSS (type: rss)', () => {
  let portal: ReplayPortal;
  let app: App;

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(join(ROOT, 'tests/fixtures/rss-site')), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const source = { id: 'congan', name: 'Công an tỉnh Quảng Trị', type: 'rss', baseUrl: portal.url, feedUrl: '/feed/', http: { delayMs: 0 } };
    app = await createApp(parseTestConfig({ ...raw, sources: [source] }), silentLogger());
  });
  afterAll(async () => {
    await app?.close();
    await portal?.close();
  });

  it('stores its items once, sanitised, with dates, authors and categories, and re-reads the feed conditionally', async () => {
    const first = await app.crawler.run('congan');
    expect(first).toMatchObject({ outcome: 'ok', new: 2, failed: 0 });
    const items = await app.store.latest({ limit: 10 });
    expect(items.map((i) => i.title)).toEqual([
      'Công an tỉnh ra quân tổng kiểm soát phương tiện giao thông dịp Tết Nguyên đán',
      'Triệt phá đường dây đánh bạc qua mạng tại thành phố Đông Hà',
    ]);
    const [first0] = items;
    expect(first0!.publishedAt).toBe('2024-01-28T02:15:00.000Z');
    expect(first0!.author).toBe('Phòng Tham mưu');
    expect(first0!.url).toBe(`${portal.url}/2024/01/28/ra-quan-tong-kiem-soat-phuong-tien/`);
    expect(first0!.contentHtml).toContain(`src="${portal.url}/wp-content/uploads/2024/01/ra-quan.jpg"`);
    expect(first0!.contentHtml).not.toMatch(/<script|onerror/);
    expect(first0!.text).toContain('Giáp Thìn 2024.\n\nTrong đợt cao điểm');
    expect(first0!.categories).toContain('quoc-phong-an-ninh');
    portal.reset();
    const second = await app.crawler.run('congan');
    expect(second).toMatchObject({ outcome: 'ok', new: 0, listingNotModified: 1 });
    expect(portal.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/feed/ 304']);
  });
});

describe('politeness at the crawl level', () => {
  let portal: ReplayPortal;
  let app: App;

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    portal.setRobots('User-agent: *\nDisallow: /tin-tuc/khoi-cong\n');
    const raw = rawTestConfig(portal.url, 'embedded');
    const source = { ...raw.sources[0], http: { delayMs: 100, concurrency: 1, retries: 0 } };
    app = await createApp(parseTestConfig({ ...raw, sources: [source] }), silentLogger());
  });
  afterAll(async () => {
    await app?.close();
    await portal?.close();
  });

  it('never requests a robots-disallowed article, and spaces requests to the host by delayMs', async () => {
    const summary = await app.crawler.run('quangtri');
    expect(portal.count('/tin-tuc/khoi-cong')).toBe(0);
    expect(summary.errors.robots).toBe(1);
    expect(summary.new).toBe(3);
    // The replay server shares this event loop, so single gaps may look a little short under load;
    // the client enforces the delay, the span over all requests proves it.
    const times = portal.requests.map((r) => r.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(50);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * 100 - 30);
    expect(portal.requests[0]!.headers['user-agent']).toMatch(/portalfeed/);
  });
});

describe('a listing page that holds no article link', () => {
  it('fails the source with a reason instead of crawling nothing quietly', async () => {
    const portal = await startReplayPortal({
      routes: { '/tin-tuc': { body: '<html><body><div id="app"></div><script src="/app.js"></script></body></html>' } },
      host: '127.0.0.1',
      port: 0,
    });
    const app = await createApp(testConfig(portal.url, 'embedded'), silentLogger());
    try {
      const summary = await app.crawler.run('quangtri');
      expect(summary.outcome).toBe('failed');
      expect(summary.errors).toEqual({ parse: 1 });
      expect(summary.reason).toMatch(/no article links on listing page .*\/tin-tuc matching linkPattern/);
      expect(app.crawler.status.snapshot()[0]!.lastError).toMatch(/no article links/);
    } finally {
      await app.close();
      await portal.close();
    }
  });
});

describe('a source with several sections', () => {
  it('is partial when one section fails and keeps what the others found', async () => {
    const portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const sections = [
      { id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' },
      { id: 'van-hoa', name: 'Văn hóa', url: '/chuyen-muc/van-hoa' },
    ];
    const app = await createApp(parseTestConfig({ ...raw, sources: [{ ...raw.sources[0], sections }] }), silentLogger());
    try {
      const summary = await app.crawler.run('quangtri');
      expect(summary.outcome).toBe('partial');
      expect(summary.reason).toMatch(/^1 of 2 sections failed: listing .*\/chuyen-muc\/van-hoa/);
      expect(summary.new).toBe(4);
    } finally {
      await app.close();
      await portal.close();
    }
  });
});
