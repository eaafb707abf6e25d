import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { dropPrefix } from '../helpers/redis.js';
import Parser from 'rss-parser';
import { serveApp, testConfig, type StoreKind } from '../helpers/app.js';
import { rmSync } from 'node:fs';
import { findItem, formatHistory } from '../../src/commands/history.js';
import { articleHtml, listingHtml, type PageText } from './portal-pages.js';

/** Published yesterday (portal time), so the default 3-day re-check window holds every article. */
function yesterday(hour: number): string {
  const d = new Date(Date.now() - 86_400_000 + 7 * 3_600_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+07:00`;
}

export const PAGES: Record<string, PageText> = {
  '/tin-tuc/dau-tu-duong-ven-bien': {
    title: 'Khởi công dự án đường ven biển với tổng vốn hơn 2.600 tỷ đồng',
    paragraphs: [
      'Sáng nay, UBND tỉnh Quảng Trị tổ chức lễ khởi công dự án đường ven biển kết nối hành lang kinh tế Đông - Tây với tổng mức đầu tư hơn 2.600 tỷ đồng.',
      'Dự án có chiều dài tuyến chính khoảng 55 km, đi qua các huyện Vĩnh Linh, Gio Linh, Triệu Phong và Hải Lăng.',
    ],
    published: yesterday(8),
  },
  '/tin-tuc/hoi-nghi-nong-nghiep': {
    title: 'Hội nghị tổng kết sản xuất nông nghiệp vụ đông xuân',
    paragraphs: [
      'Sở Nông nghiệp và Phát triển nông thôn tổ chức hội nghị tổng kết vụ đông xuân, năng suất lúa bình quân đạt 58 tạ mỗi héc-ta.',
      'Nhiều hợp tác xã đã chuyển sang giống lúa chất lượng cao và liên kết tiêu thụ với doanh nghiệp.',
    ],
    published: yesterday(9),
  },
  '/tin-tuc/le-hoi-du-lich-bien': {
    title: 'Lễ hội du lịch biển Cửa Việt thu hút đông đảo du khách',
    paragraphs: [
      'Lễ hội du lịch biển Cửa Việt năm nay có nhiều hoạt động văn hóa, thể thao và ẩm thực đặc sắc.',
      'Ban tổ chức cho biết đã đón hơn mười nghìn lượt khách trong ba ngày diễn ra sự kiện.',
    ],
    published: yesterday(10),
  },
  '/tin-tuc/tuyen-dung-giao-vien': {
    title: 'Thông báo tuyển dụng giáo viên mầm non năm học mới',
    paragraphs: [
      'Phòng Giáo dục và Đào tạo thông báo tuyển dụng bốn mươi giáo viên mầm non cho các trường công lập.',
      'Hồ sơ nộp trực tiếp tại bộ phận một cửa trước ngày cuối tháng.',
    ],
    published: yesterday(11),
  },
  '/tin-tuc/kiem-tra-an-toan-thuc-pham': {
    title: 'Đoàn liên ngành kiểm tra an toàn thực phẩm dịp cuối năm',
    paragraphs: [
      'Đoàn kiểm tra liên ngành đã làm việc với hai mươi cơ sở sản xuất, kinh doanh thực phẩm trên địa bàn thành phố Đông Hà.',
      'Các vi phạm về ghi nhãn và bảo quản đã được nhắc nhở, xử phạt theo quy định.',
    ],
    published: yesterday(12),
  },
  '/tin-tuc/phong-chong-thien-tai': {
    title: 'Chủ động phòng chống thiên tai mùa mưa bão',
    paragraphs: [
      'Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh yêu cầu các địa phương rà soát phương án sơ tán dân.',
      'Lực lượng vũ trang sẵn sàng phương tiện, trang thiết bị ứng cứu khi có tình huống xảy ra.',
    ],
    published: yesterday(13),
  },
};

const FIGURE = '/tin-tuc/dau-tu-duong-ven-bien';
const TITLE = '/tin-tuc/hoi-nghi-nong-nghiep';
const MARKUP = '/tin-tuc/le-hoi-du-lich-bien';
const GONE = '/tin-tuc/tuyen-dung-giao-vien';
const MISSING = '/tin-tuc/kiem-tra-an-toan-thuc-pham';
const SAME = '/tin-tuc/phong-chong-thien-tai';

describe.each<StoreKind>(['embedded', 'redis'])('re-checking recent articles on a changing portal (%s store)', (kind) => {
  let portal: ReplayPortal;
  let app: App;
  const pages = structuredClone(PAGES);
  const serve = (path: string) => portal.setRoute(path, { body: articleHtml(pages[path]!), contentType: 'text/html; charset=utf-8' });
  const idOf = async (path: string) => (await app.store.recheckTargets('quangtri', null)).find((t) => t.url.endsWith(path))!.id;
  const feedPaths = async () => (await app.store.latest({ limit: 50 })).map((i) => new URL(i.url).pathname).sort();

  beforeAll(async () => {
    portal = await startReplayPortal({ routes: {}, host: '127.0.0.1', port: 0 });
    portal.setRoute('/tin-tuc', {
      body: listingHtml(Object.entries(pages).map(([path, p]) => ({ path, title: p.title }))),
      contentType: 'text/html; charset=utf-8',
    });
    for (const path of Object.keys(pages)) serve(path);
    app = await createApp(testConfig(portal.url, kind), silentLogger());
  });
  afterAll(async () => {
    await app?.close();
    await portal?.close();
    if (app) {
      if (kind === 'redis') await dropPrefix(app.config.store.keyPrefix);
      rmSync(app.config.store.dataDir, { recursive: true, force: true });
    }
  });

  it('first crawl stores six articles and their validators', async () => {
    const summary = await app.crawler.run('quangtri');
    expect(summary).toMatchObject({ new: 6, failed: 0, rechecked: 0 });
    expect(await app.store.changes({ limit: 10 })).toEqual([]);
  });

  it('second crawl: edits become revisions, a markup-only change does not, a 410 withdraws, a first 404 does not, unchanged pages cost a 304', async () => {
    pages[FIGURE]!.paragraphs[0] = pages[FIGURE]!.paragraphs[0]!.replace('2.600', '2.750');
    pages[TITLE]!.title = 'Hội nghị tổng kết sản xuất nông nghiệp vụ đông xuân và triển khai vụ hè thu';
    pages[MARKUP]!.styled = true;
    for (const path of [FIGURE, TITLE, MARKUP]) serve(path);
    portal.setRoute(GONE, { status: 410, body: 'Gone' });
    portal.setRoute(MISSING, { status: 404, body: 'Not found' });
    portal.reset();
    const summary = await app.crawler.run('quangtri');
    expect(summary).toMatchObject({ rechecked: 6, updated: 2, withdrawn: 1, new: 0 });
    const statuses = Object.fromEntries(portal.requests.filter((r) => r.path !== '/robots.txt').map((r) => [r.path, r.status]));
    expect(statuses).toMatchObject({ [SAME]: 304, [FIGURE]: 200, [MARKUP]: 200, [GONE]: 410, [MISSING]: 404 });
    // every re-check was conditional
    expect(portal.requests.filter((r) => r.path === SAME)[0]!.headers['if-none-match']).toBeTruthy();

    const changes = await app.store.changes({ limit: 10 });
    expect(changes.map((c) => [c.kind, new URL(c.url).pathname]).sort()).toEqual([
      ['edited', FIGURE],
      ['edited', TITLE],
      ['withdrawn', GONE],
    ]);
    const figure = changes.find((c) => c.url.endsWith(FIGURE))!;
    expect(figure.oldText).toContain('2.600 tỷ đồng');
    expect(figure.newText).toContain('2.750 tỷ đồng');
    expect(figure.oldTitle).toBe(figure.newTitle);
    const title = changes.find((c) => c.url.endsWith(TITLE))!;
    expect([title.oldTitle, title.newTitle]).toEqual([PAGES[TITLE]!.title, pages[TITLE]!.title]);

    const figureItem = await app.store.get(figure.itemId);
    expect(figureItem?.guid).toBe(figure.guid);
    expect(figureItem?.updatedAt).toBe(figure.at);
    expect(figureItem?.text).toContain('2.750');
    expect(await app.store.history(await idOf(MARKUP))).toEqual([]);
    expect(await feedPaths()).toEqual([FIGURE, TITLE, MARKUP, MISSING, SAME].sort());
    expect(await app.store.latest({ source: 'quangtri', limit: 50 })).toHaveLength(5);
  });

  it('third crawl: the second 404 in a row withdraws; the page that answers again comes back', async () => {
    serve(GONE);
    portal.reset();
    const summary = await app.crawler.run('quangtri');
    expect(summary).toMatchObject({ withdrawn: 1, restored: 1 });
    expect(await feedPaths()).toEqual([FIGURE, TITLE, MARKUP, GONE, SAME].sort());
    const history = await app.store.history(await idOf(GONE));
    expect(history.map((c) => [c.kind, c.status, c.restoredAt !== null])).toEqual([['withdrawn', 410, true]]);
    const missing = await app.store.history(await idOf(MISSING));
    expect(missing.map((c) => [c.kind, c.status, c.restoredAt])).toEqual([['withdrawn', 404, null]]);
  });

  it("portalfeed history prints an item's revisions, found by URL or id", async () => {
    const byUrl = await findItem(app.store, `${portal.url}${FIGURE}?utm_source=zalo`, ['quangtri']);
    expect(byUrl).not.toBeNull();
    expect((await findItem(app.store, byUrl!.id, ['quangtri']))?.id).toBe(byUrl!.id);
    expect(await findItem(app.store, `${portal.url}/tin-tuc/khong-co`, ['quangtri'])).toBeNull();
    const out = formatHistory(byUrl!, await app.store.history(byUrl!.id));
    expect(out).toContain(`${PAGES[FIGURE]!.title}\n  ${portal.url}${FIGURE}\n`);
    expect(out).toMatch(/\d\d\/\d\d\/\d{4} \d\d:\d\d {2}edited: Bài viết được sửa nội dung lúc/);
    expect(out).toContain(
      '  text:\n    Sáng nay, UBND tỉnh Quảng Trị tổ chức lễ khởi công dự án đường ven biển kết nối hành lang kinh tế Đông - Tây với tổng mức đầu tư hơn [-2.600-]{+2.750+} tỷ đồng.',
    );
    const gone = await findItem(app.store, `${portal.url}${MISSING}`, ['quangtri']);
    expect(formatHistory(gone!, await app.store.history(gone!.id))).toMatch(
      /withdrawn since .*\n[\s\S]*withdrawn: Bài viết bị gỡ khỏi cổng lúc .* \(HTTP 404\)\./,
    );
  });

  it('serves /changes.xml and /changes.json: one entry per revision or withdrawal, newest first, with word diffs; conditional GET', async () => {
    await app.publisher.refresh();
    const http = await serveApp(app);
    try {
      const res = await fetch(`${http.url}/changes.xml`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const xml = await res.text();
      type Entry = Parser.Item & { 'content:encoded'?: string };
      const feed = await new Parser<Record<string, unknown>, Entry>({ customFields: { item: ['content:encoded'] } }).parseString(xml);
      const term = (c: unknown) => (typeof c === 'string' ? c : (c as { _: string })._);
      expect(feed.items.map((i) => term(i.categories?.[0]))).toEqual(['withdrawn', 'edited', 'edited', 'withdrawn']);
      const dates = feed.items.map((i) => Date.parse(i.pubDate!));
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
      const figure = feed.items.find((i) => i.link?.endsWith(FIGURE))!;
      expect(figure.title).toBe(`Đã sửa: ${PAGES[FIGURE]!.title}`);
      expect(figure['content:encoded']).toContain('hơn <del>2.600</del><ins>2.750</ins> tỷ đồng');
      const title = feed.items.find((i) => i.link?.endsWith(TITLE))!;
      expect(title['content:encoded']).toContain('vụ đông xuân<ins> và triển khai vụ hè thu</ins>');
      expect(new Set(feed.items.map((i) => i.guid)).size).toBe(4);
      const gone = feed.items.find((i) => i.link?.endsWith(GONE))!;
      expect(gone.title).toBe(`Đã gỡ: ${PAGES[GONE]!.title}`);
      expect(gone.contentSnippet).toMatch(/\(HTTP 410\); trang đã trở lại lúc/);

      const again = await fetch(`${http.url}/changes.xml`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      const json = (await (await fetch(`${http.url}/changes.json?q=${encodeURIComponent('TỶ ĐỒNG')}`)).json()) as {
        version: string;
        title: string;
        items: Array<{ url: string; tags: string[]; content_html: string }>;
      };
      expect(json.version).toBe('https://jsonfeed.org/version/1.1');
      expect(json.title).toContain('lọc: tìm “TỶ ĐỒNG”');
      expect(json.items.map((i) => [new URL(i.url).pathname, i.tags])).toEqual([[FIGURE, ['edited']]]);
      // the main feed says when the edited article was updated
      const main = await (await fetch(`${http.url}/feed.xml`)).text();
      expect(main).toMatch(/<atom:updated>\d{4}-\d\d-\d\dT[\d:]+Z<\/atom:updated>/);
    } finally {
      await http.close();
    }
  });

  it('each crawl re-checks the recent and the withdrawn articles; crawl --refresh every one', async () => {
    portal.reset();
    const quiet = await app.crawler.run('quangtri');
    // withdrawn items are always re-checked (to see them come back); the rest only within the window
    expect(quiet.rechecked).toBe(6);
    portal.reset();
    const all = await app.crawler.run('quangtri', { refresh: true });
    expect(all.rechecked).toBe(6);
    expect(all.failed).toBe(0);
  });
});
