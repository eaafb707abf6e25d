import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OpenStore } from '../../src/store/index.js';
import { startTopology, type Topology } from '../helpers/redis-server.js';
import { CONFERENCE_DAY1, CONFERENCE_DAY3, HARVEST, ROAD } from './fixtures/articles.js';
import { candidate, fromArticle, makeBackend, uniqueArticle, type Backend } from './helpers.js';

const BASE = 'https://www.quangtri.gov.vn';
const NOW = new Date('2024-02-01T00:00:00Z');

describe.each(['embedded', 'threaded', 'redis', 'cluster', 'sentinel'] as const)('ItemStore contract: %s', (kind) => {
  let backend: Backend;
  let store: OpenStore;
  let topology: Topology | null = null;

  beforeAll(async () => {
    topology = await startTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });

  beforeEach(async () => {
    backend = makeBackend(kind === 'embedded' || kind === 'threaded' ? kind : 'redis', topology?.options);
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('inserts a new item with a fixed guid, id and first-seen data', async () => {
    const out = await store.upsert(fromArticle(HARVEST, `${BASE}/tin-tuc/thu-hoach-lua?utm_source=fb`, { categories: ['nong-nghiep'] }), NOW);
    expect(out.status).toBe('new');
    expect(out.item.guid).toBe(`${BASE}/tin-tuc/thu-hoach-lua`);
    expect(out.item.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.item.url).toBe(out.item.guid);
    expect(out.item.firstSeenAt).toBe(NOW.toISOString());
    expect(out.item.updatedAt).toBeNull();
    expect(out.item.dateIsFirstSeen).toBe(false);
    expect(out.item.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.item.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(await store.get(out.item.id)).toEqual(out.item);
    expect(await store.knows(`http://quangtri.gov.vn/tin-tuc/thu-hoach-lua`)).toBe(true);
    expect(await store.knows(`${BASE}/tin-tuc/khac`)).toBe(false);
    expect(await store.knows(`${BASE}/tin-tuc/thu-hoach-lua`, 'quangtri')).toBe(true);
    expect(await store.knows(`${BASE}/tin-tuc/thu-hoach-lua`, 'mirror')).toBe(false);
    expect(await store.knows(`${BASE}/tin-tuc/khac`, 'quangtri')).toBe(false);
  });

  it('an undated page gets publishedAt = first seen and is flagged', async () => {
    const out = await store.upsert(fromArticle(ROAD, `${BASE}/tin-tuc/duong`, { publishedAt: null }), NOW);
    expect(out.item.publishedAt).toBe(NOW.toISOString());
    expect(out.item.dateIsFirstSeen).toBe(true);
  });

  it('reads the newest N by feed, category and source, newest first with stable ties', async () => {
    const dates = ['2024-01-03', '2024-01-01', '2024-01-05', '2024-01-02', '2024-01-05'];
    for (const [i, day] of dates.entries()) {
      const a = uniqueArticle(i);
      await store.upsert(
        candidate({
          url: `${BASE}/tin-tuc/${i}`,
          title: a.title,
          text: a.text,
          publishedAt: `${day}T00:00:00.000Z`,
          sourceId: i % 2 ? 'odd' : 'even',
          categories: i < 3 ? ['kinh-te'] : ['xa-hoi'],
        }),
        NOW,
      );
    }
    const all = await store.latest({ limit: 10 });
    expect(all.map((i) => i.publishedAt.slice(0, 10))).toEqual(['2024-01-05', '2024-01-05', '2024-01-03', '2024-01-02', '2024-01-01']);
    const ties = all.slice(0, 2).map((i) => i.id);
    expect(ties).toEqual([...ties].sort().reverse());
    expect((await store.latest({ limit: 10 })).map((i) => i.id)).toEqual(all.map((i) => i.id));
    expect((await store.latest({ limit: 2 })).map((i) => i.id)).toEqual(all.slice(0, 2).map((i) => i.id));
    expect((await store.latest({ category: 'kinh-te', limit: 10 })).map((i) => i.url)).toEqual([
      `${BASE}/tin-tuc/2`,
      `${BASE}/tin-tuc/0`,
      `${BASE}/tin-tuc/1`,
    ]);
    expect((await store.latest({ source: 'odd', limit: 10 })).map((i) => i.url)).toEqual([`${BASE}/tin-tuc/3`, `${BASE}/tin-tuc/1`]);
    expect((await store.latest({ category: 'kinh-te', source: 'even', limit: 1 })).map((i) => i.url)).toEqual([`${BASE}/tin-tuc/2`]);
    expect(await store.latest({ category: 'khong-co', limit: 5 })).toEqual([]);
  });

  it('URL variants are aliases: tracking parameters, scheme, www and 3CMS category ids', async () => {
    const first = await store.upsert(fromArticle(HARVEST, `${BASE}/chi-tiet-tin/-/view-article/1/13/1705668480000`), NOW);
    expect(await store.knows(`http://quangtri.gov.vn/vi/chi-tiet-tin/-/view-article/1/4235/1705668480000?zarsrc=30`)).toBe(true);
    const again = await store.upsert(
      fromArticle(HARVEST, `http://quangtri.gov.vn/vi/chi-tiet-tin/-/view-article/1/4235/1705668480000?utm_source=zalo`),
      NOW,
    );
    expect(again.status).toBe('unchanged');
    expect(again.matchedBy).toBe('url');
    expect(again.item.guid).toBe(first.item.guid);
    expect((await store.stats()).items).toBe(1);
  });

  it('an exact duplicate under another URL and source is one item with the union of sources and categories', async () => {
    const a = await store.upsert(fromArticle(ROAD, `${BASE}/tin-tuc/duong-ven-bien`, { categories: ['giao-thong'] }), NOW);
    const b = await store.upsert(
      fromArticle(ROAD, `https://vinhlinh.quangtri.gov.vn/tin/khoi-cong`, { sourceId: 'vinhlinh', categories: ['kinh-te'] }),
      NOW,
    );
    expect(b.status).toBe('duplicate');
    expect(b.matchedBy).toBe('content');
    expect(b.item.id).toBe(a.item.id);
    expect(b.item.aliases).toEqual(['https://vinhlinh.quangtri.gov.vn/tin/khoi-cong']);
    expect(b.item.sourceIds.sort()).toEqual(['quangtri', 'vinhlinh']);
    expect(b.item.categories.sort()).toEqual(['giao-thong', 'kinh-te']);
    expect(await store.knows('https://vinhlinh.quangtri.gov.vn/tin/khoi-cong')).toBe(true);
    const again = await store.upsert(fromArticle(ROAD, `https://vinhlinh.quangtri.gov.vn/tin/khoi-cong`, { sourceId: 'vinhlinh' }), NOW);
    expect([again.status, again.matchedBy]).toEqual(['unchanged', 'alias']);
    expect((await store.latest({ source: 'vinhlinh', limit: 5 })).map((i) => i.id)).toEqual([a.item.id]);
    expect((await store.latest({ category: 'kinh-te', limit: 5 })).map((i) => i.id)).toEqual([a.item.id]);
    expect(await store.stats()).toEqual({ items: 1, bySource: { quangtri: 1, vinhlinh: 1 }, byCategory: { 'giao-thong': 1, 'kinh-te': 1 } });
  });

  it('a near duplicate merges: guid kept, title, link and date of the earliest version', async () => {
    const later = await store.upsert(
      fromArticle({ ...HARVEST, title: 'Nông dân Quảng Trị phấn khởi thu hoạch lúa Đông Xuân' }, `https://baoquangtri.vn/thu-hoach-lua`, {
        sourceId: 'bao',
        publishedAt: '2024-01-20T03:00:00.000Z',
      }),
      NOW,
    );
    const earlier = await store.upsert(fromArticle(HARVEST, `${BASE}/tin-tuc/thu-hoach-lua`, { publishedAt: '2024-01-19T12:48:00.000Z' }), NOW);
    expect(earlier.status).toBe('merged');
    expect(earlier.matchedBy).toBe('simhash');
    expect(typeof earlier.distance).toBe('number');
    expect(earlier.item.guid).toBe(later.item.guid);
    expect(earlier.item.id).toBe(later.item.id);
    expect(earlier.item.title).toBe(HARVEST.title);
    expect(earlier.item.url).toBe(`${BASE}/tin-tuc/thu-hoach-lua`);
    expect(earlier.item.publishedAt).toBe('2024-01-19T12:48:00.000Z');
    expect(earlier.item.aliases).toEqual(['https://baoquangtri.vn/thu-hoach-lua']);
    expect(earlier.item.sourceIds.sort()).toEqual(['bao', 'quangtri']);
    expect((await store.latest({ limit: 5 })).map((i) => i.id)).toEqual([later.item.id]);
    // Either version crawled again is recognised, and changes nothing.
    const recrawl = await store.upsert(
      fromArticle({ ...HARVEST, title: 'Nông dân Quảng Trị phấn khởi thu hoạch lúa Đông Xuân' }, `https://baoquangtri.vn/thu-hoach-lua`, {
        sourceId: 'bao',
        publishedAt: '2024-01-20T03:00:00.000Z',
      }),
      NOW,
    );
    expect([recrawl.status, recrawl.matchedBy]).toEqual(['unchanged', 'alias']);
    const even = await store.upsert(
      fromArticle({ ...HARVEST, title: 'Thu hoạch lúa' }, `https://tin.vn/lua`, { publishedAt: '2024-01-21T00:00:00.000Z' }),
      NOW,
    );
    expect(even.status).toBe('merged');
    expect(even.item.url).toBe(`${BASE}/tin-tuc/thu-hoach-lua`);
    expect((await store.stats()).items).toBe(1);
  });

  it('updates in place when the content at a known URL changes', async () => {
    const url = `${BASE}/tin-tuc/hdnd`;
    const v1 = await store.upsert(fromArticle(CONFERENCE_DAY1, url), NOW);
    const later = new Date('2024-02-02T00:00:00Z');
    const v2 = await store.upsert(fromArticle(CONFERENCE_DAY3, `${url}?utm_medium=x`, { categories: ['chinh-tri'] }), later);
    expect(v2.status).toBe('updated');
    expect(v2.matchedBy).toBe('url');
    expect(v2.item.guid).toBe(v1.item.guid);
    expect(v2.item.id).toBe(v1.item.id);
    expect(v2.item.title).toBe(CONFERENCE_DAY3.title);
    expect(v2.item.updatedAt).toBe(later.toISOString());
    expect(v2.item.publishedAt).toBe(v1.item.publishedAt);
    expect(v2.item.contentHash).not.toBe(v1.item.contentHash);
    expect((await store.stats()).items).toBe(1);
    expect((await store.get(v1.item.id))?.title).toBe(CONFERENCE_DAY3.title);
    // The old fingerprints no longer attract new articles; the new ones do.
    const copy = await store.upsert(fromArticle(CONFERENCE_DAY3, `https://hdnd.quangtri.gov.vn/be-mac`), later);
    expect([copy.status, copy.item.id]).toEqual(['duplicate', v1.item.id]);
  });

  it('retention by days removes old items from every index', async () => {
    await store.close();
    store = await backend.open({ retentionDays: 30 });
    const now = new Date('2024-03-01T00:00:00Z');
    const old = await store.upsert(fromArticle(HARVEST, `${BASE}/cu`, { publishedAt: '2024-01-01T00:00:00.000Z', categories: ['nong-nghiep'] }), now);
    await store.upsert(fromArticle(ROAD, `${BASE}/moi`, { publishedAt: '2024-02-20T00:00:00.000Z', categories: ['giao-thong'] }), now);
    expect(await store.trim(now)).toBe(1);
    expect(await store.get(old.item.id)).toBeNull();
    expect(await store.knows(`${BASE}/cu`)).toBe(false);
    expect((await store.latest({ limit: 10 })).map((i) => i.url)).toEqual([`${BASE}/moi`]);
    expect(await store.latest({ category: 'nong-nghiep', limit: 10 })).toEqual([]);
    expect(await store.stats()).toEqual({ items: 1, bySource: { quangtri: 1 }, byCategory: { 'giao-thong': 1 } });
    expect(await store.trim(now)).toBe(0);
  });

  it('retention by maxItems keeps the newest; latest() and stats agree', async () => {
    await store.close();
    store = await backend.open({ maxItems: 3 });
    for (let i = 0; i < 6; i++) {
      const a = uniqueArticle(100 + i);
      await store.upsert(
        candidate({ url: `${BASE}/t/${i}`, title: a.title, text: a.text, publishedAt: `2024-01-0${i + 1}T00:00:00.000Z`, categories: ['c'] }),
        NOW,
      );
    }
    expect(await store.trim(NOW)).toBe(3);
    const left = await store.latest({ limit: 10 });
    expect(left.map((i) => i.url)).toEqual([`${BASE}/t/5`, `${BASE}/t/4`, `${BASE}/t/3`]);
    expect(await store.stats()).toEqual({ items: 3, bySource: { quangtri: 3 }, byCategory: { c: 3 } });
    expect((await store.latest({ category: 'c', limit: 10 })).length).toBe(3);
  });

  it('guids and ids survive close and reopen; the reopened store still dedups', async () => {
    const a = await store.upsert(fromArticle(HARVEST, `${BASE}/tin-tuc/lua`), NOW);
    await store.setValidators(`${BASE}/tin-tuc/lua`, { etag: '"abc"', lastModified: null });
    await store.close();
    store = await backend.open();
    expect(await store.get(a.item.id)).toEqual(a.item);
    const again = await store.upsert(fromArticle(HARVEST, `http://quangtri.gov.vn/tin-tuc/lua/`), new Date('2025-01-01T00:00:00Z'));
    expect([again.status, again.item.guid, again.item.id]).toEqual(['unchanged', a.item.guid, a.item.id]);
    expect(await store.getValidators(`${BASE}/tin-tuc/lua#x`)).toEqual({ etag: '"abc"', lastModified: null });
  });

  it('stores and returns HTTP validators per URL', async () => {
    expect(await store.getValidators(`${BASE}/tin-tuc`)).toBeNull();
    await store.setValidators(`${BASE}/tin-tuc`, { etag: 'W/"1"', lastModified: 'Fri, 19 Jan 2024 12:48:00 GMT' });
    expect(await store.getValidators(`${BASE}/tin-tuc?utm_source=x`)).toEqual({ etag: 'W/"1"', lastModified: 'Fri, 19 Jan 2024 12:48:00 GMT' });
    await store.setValidators(`${BASE}/tin-tuc`, { etag: null, lastModified: 'Sat, 20 Jan 2024 00:00:00 GMT' });
    expect(await store.getValidators(`${BASE}/tin-tuc`)).toEqual({ etag: null, lastModified: 'Sat, 20 Jan 2024 00:00:00 GMT' });
  });

  it('keeps a scoped validator apart from the same URL unscoped or in another scope, across reopen', async () => {
    await store.setValidators(`${BASE}/tin-tuc`, { etag: '"a"', lastModified: null }, 'quangtri');
    expect(await store.getValidators(`${BASE}/tin-tuc`, 'mirror')).toBeNull();
    expect(await store.getValidators(`${BASE}/tin-tuc`)).toBeNull();
    await store.close();
    store = await backend.open();
    expect(await store.getValidators(`${BASE}/tin-tuc?utm_source=x`, 'quangtri')).toEqual({ etag: '"a"', lastModified: null });
  });

  it('version changes on writes, not on reads or no-op upserts', async () => {
    const v0 = await store.version();
    const a = await store.upsert(fromArticle(HARVEST, `${BASE}/a`), NOW);
    const v1 = await store.version();
    expect(v1).not.toBe(v0);
    await store.latest({ limit: 5 });
    await store.get(a.item.id);
    await store.stats();
    await store.knows(`${BASE}/a`);
    expect(await store.version()).toBe(v1);
    await store.upsert(fromArticle(HARVEST, `${BASE}/a`), NOW);
    expect(await store.version()).toBe(v1);
    await store.upsert(fromArticle(HARVEST, `${BASE}/a`, { categories: ['moi'] }), NOW);
    expect(await store.version()).not.toBe(v1);
  });

  it('stats count items per source and category', async () => {
    expect(await store.stats()).toEqual({ items: 0, bySource: {}, byCategory: {} });
    await store.upsert(fromArticle(HARVEST, `${BASE}/a`, { categories: ['nong-nghiep', 'kinh-te'] }), NOW);
    await store.upsert(fromArticle(ROAD, `${BASE}/b`, { sourceId: 'vinhlinh', categories: ['kinh-te'] }), NOW);
    expect(await store.stats()).toEqual({ items: 2, bySource: { quangtri: 1, vinhlinh: 1 }, byCategory: { 'nong-nghiep': 1, 'kinh-te': 2 } });
  });

  it('lease lock: one holder at a time, only the holder renews or releases, expiry frees it', async () => {
    const lease = await store.lock.acquire('crawl:quangtri', 200);
    expect(lease).not.toBeNull();
    expect(await store.lock.acquire('crawl:quangtri', 200)).toBeNull();
    expect(await store.lock.acquire('crawl:other', 200)).not.toBeNull();
    expect(await lease!.renew()).toBe(true);
    await lease!.release();
    const second = await store.lock.acquire('crawl:quangtri', 50);
    expect(second).not.toBeNull();
    expect(await lease!.renew()).toBe(false);
    await lease!.release();
    expect(await store.lock.acquire('crawl:quangtri', 50)).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    const third = await store.lock.acquire('crawl:quangtri', 1000);
    expect(third).not.toBeNull();
    expect(await second!.renew()).toBe(false);
    await third!.release();
  });

  it('keeps named state documents across reopen; null deletes them', async () => {
    expect(await store.getState('discovery:quangtri')).toBeNull();
    await store.setState('discovery:quangtri', { sections: [{ url: `${BASE}/tin-tuc`, name: 'Tin tức' }] });
    await store.setState('pending:quangtri', ['a', 'b']);
    await store.close();
    store = await backend.open();
    expect(await store.getState('discovery:quangtri')).toEqual({ sections: [{ url: `${BASE}/tin-tuc`, name: 'Tin tức' }] });
    await store.setState('pending:quangtri', null);
    expect(await store.getState('pending:quangtri')).toBeNull();
  });

  it('lease holder names host, pid and expiry while held, null once released', async () => {
    const lease = await store.lock.acquire('crawl:holder', 5_000);
    const holder = await store.lock.holder('crawl:holder');
    expect(holder).toMatchObject({ host: hostname(), pid: process.pid });
    expect(holder!.expiresAt).toBeGreaterThan(Date.now());
    await lease!.release();
    expect(await store.lock.holder('crawl:holder')).toBeNull();
  });

  it('ping answers while the store is open', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe.each(['embedded', 'threaded', 'redis'] as const)('ItemStore contract, revisions and withdrawals: %s', (kind) => {
  let backend: Backend;
  let store: OpenStore;
  const url = `${BASE}/tin-tuc/thu-hoach-lua`;
  const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

  beforeEach(async () => {
    backend = makeBackend(kind);
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('an edit of the text keeps the guid, sets updatedAt and stores a revision with old and new title and text', async () => {
    const first = await store.upsert(fromArticle(HARVEST, url, { categories: ['nong-nghiep'] }), NOW);
    const edited = HARVEST.text.replace(/\d+/, (n) => String(Number(n) + 1));
    const out = await store.upsert(fromArticle({ ...HARVEST, text: edited }, url, { categories: ['nong-nghiep'] }), at(60));
    expect(out.status).toBe('updated');
    expect(out.item.guid).toBe(first.item.guid);
    expect(out.item.updatedAt).toBe(at(60).toISOString());
    const history = await store.history(first.item.id);
    expect(history).toEqual([
      expect.objectContaining({
        kind: 'edited',
        itemId: first.item.id,
        guid: first.item.guid,
        url,
        at: at(60).toISOString(),
        oldTitle: HARVEST.title,
        newTitle: HARVEST.title,
        oldText: HARVEST.text,
        newText: edited,
      }),
    ]);
    expect(await store.changes({ limit: 10 })).toEqual(history);
    // the same version again, and only spacing changed: no revision
    await store.upsert(fromArticle({ ...HARVEST, text: edited }, url), at(70));
    await store.upsert(fromArticle({ ...HARVEST, text: `  ${edited.replace(/ /g, '  ')}` }, url), at(80));
    expect(await store.history(first.item.id)).toHaveLength(1);
    // an edit undone is an edit too, and the store now holds the first text again
    await store.upsert(fromArticle(HARVEST, url), at(90));
    expect((await store.get(first.item.id))?.text).toBe(HARVEST.text);
    const changes = await store.changes({ limit: 10 });
    expect(changes.map((c) => c.at)).toEqual([at(90).toISOString(), at(60).toISOString()]);
    expect(await store.changes({ limit: 1 })).toEqual(changes.slice(0, 1));
    expect(await store.changes({ limit: 10, since: at(61).toISOString() })).toEqual(changes.slice(0, 1));
    await store.close();
    store = await backend.open();
    expect(await store.changes({ limit: 10 })).toEqual(changes);
  });

  it('a title edit is a revision', async () => {
    const first = await store.upsert(fromArticle(HARVEST, url), NOW);
    await store.upsert(fromArticle({ ...HARVEST, title: `${HARVEST.title} (cập nhật)` }, url), at(5));
    const [revision] = await store.history(first.item.id);
    expect(revision).toMatchObject({ kind: 'edited', oldTitle: HARVEST.title, newTitle: `${HARVEST.title} (cập nhật)` });
  });

  it('a 410 withdraws at once; a 404 only on the second check in a row; the item leaves every feed and comes back with its page', async () => {
    const a = await store.upsert(fromArticle(HARVEST, url, { categories: ['nong-nghiep'] }), NOW);
    const b = await store.upsert(fromArticle(ROAD, `${BASE}/tin-tuc/duong`, { categories: ['giao-thong'] }), NOW);
    expect(await store.markGone(a.item.id, 410, at(10))).toBe('withdrawn');
    expect(await store.markGone(a.item.id, 410, at(11))).toBe('already-withdrawn');
    expect((await store.latest({ limit: 10 })).map((i) => i.id)).toEqual([b.item.id]);
    expect(await store.latest({ category: 'nong-nghiep', limit: 10 })).toEqual([]);
    expect(await store.latest({ source: 'quangtri', limit: 10 })).toHaveLength(1);
    expect((await store.get(a.item.id))?.withdrawnAt).toBe(at(10).toISOString());
    expect(await store.knows(url, 'quangtri')).toBe(true);
    const targets = await store.recheckTargets('quangtri', at(100).toISOString());
    expect(targets).toEqual([{ id: a.item.id, url: a.item.url, publishedAt: a.item.publishedAt, withdrawn: true }]);

    expect(await store.markGone(b.item.id, 404, at(10))).toBe('missing');
    expect(await store.latest({ limit: 10 })).toHaveLength(1);
    expect(await store.markPresent(b.item.id, at(20))).toBe(false);
    expect(await store.markGone(b.item.id, 404, at(30))).toBe('missing');
    expect(await store.markGone(b.item.id, 404, at(40))).toBe('withdrawn');
    expect(await store.latest({ limit: 10 })).toEqual([]);
    expect(await store.markGone('no-such-id', 410, at(40))).toBe('unknown');

    const changes = await store.changes({ limit: 10 });
    expect(changes.map((c) => [c.kind, c.itemId, c.status])).toEqual([
      ['withdrawn', b.item.id, 404],
      ['withdrawn', a.item.id, 410],
    ]);
    expect(changes[1]).toMatchObject({ oldTitle: HARVEST.title, newTitle: HARVEST.title, restoredAt: null, url });

    // the page answers again: by a conditional GET (304) or by a fetch the upsert stores
    expect(await store.markPresent(a.item.id, at(50))).toBe(true);
    const back = await store.upsert(fromArticle(ROAD, `${BASE}/tin-tuc/duong`, { categories: ['giao-thong'] }), at(60));
    expect(back.item.withdrawnAt).toBeNull();
    await store.close();
    store = await backend.open();
    expect((await store.latest({ limit: 10 })).map((i) => i.id).sort()).toEqual([a.item.id, b.item.id].sort());
    expect((await store.latest({ category: 'nong-nghiep', limit: 10 })).map((i) => i.id)).toEqual([a.item.id]);
    expect((await store.history(a.item.id)).map((c) => [c.kind, c.restoredAt])).toEqual([['withdrawn', at(50).toISOString()]]);
    expect((await store.history(b.item.id)).map((c) => [c.kind, c.restoredAt])).toEqual([['withdrawn', at(60).toISOString()]]);
    expect((await store.stats()).items).toBe(2);
  });

  it('re-check targets: a source items published since a time, newest first', async () => {
    const days = ['2024-01-10', '2024-01-20', '2024-01-30'];
    for (const [i, day] of days.entries()) {
      const a = uniqueArticle(i);
      await store.upsert(candidate({ url: `${BASE}/tin-tuc/${i}`, title: a.title, text: a.text, publishedAt: `${day}T00:00:00.000Z` }), NOW);
    }
    await store.upsert(candidate({ url: `${BASE}/khac/1`, ...uniqueArticle(9), sourceId: 'other' }), NOW);
    const recent = await store.recheckTargets('quangtri', '2024-01-15T00:00:00.000Z');
    expect(recent.map((t) => t.url)).toEqual([`${BASE}/tin-tuc/2`, `${BASE}/tin-tuc/1`]);
    expect((await store.recheckTargets('quangtri', null)).map((t) => t.url)).toEqual([`${BASE}/tin-tuc/2`, `${BASE}/tin-tuc/1`, `${BASE}/tin-tuc/0`]);
  });

  it('retention removes an item with its changes', async () => {
    const a = await store.upsert(fromArticle(HARVEST, url), NOW);
    await store.markGone(a.item.id, 410, at(1));
    await store.markPresent(a.item.id, at(2));
    await store.close();
    store = await backend.open({ maxItems: 0 });
    expect(await store.trim(at(3))).toBe(1);
    expect(await store.changes({ limit: 10 })).toEqual([]);
    expect(await store.history(a.item.id)).toEqual([]);
  });
});
