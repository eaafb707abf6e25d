import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeItem, makePublisher } from './fixtures.js';
import { MemoryStore } from './memory-store.js';

function seeded(n: number, extra: Parameters<typeof makeItem>[0] = {}): MemoryStore {
  const store = new MemoryStore();
  for (let i = 0; i < n; i++)
    store.put(makeItem({ categories: i % 2 ? ['kinh-te'] : ['xay-dung-dang'], sourceIds: [i % 3 ? 'quangtri' : 'snnmt'], ...extra }));
  return store;
}

describe('FeedPublisher', () => {
  it('pre-renders the main feeds on refresh and serves them without touching the store', async () => {
    const store = seeded(30);
    const publisher = makePublisher(store);
    expect(await publisher.refresh()).toBe(true);
    const before = { ...store.calls };
    for (let i = 0; i < 100; i++) {
      for (const format of ['rss', 'atom', 'json'] as const) await publisher.get('all', null, format);
    }
    await publisher.getPage('index');
    expect(store.calls.latest).toBe(before.latest);
    expect(store.calls.version).toBe(before.version);
  });

  it('is cheap when the version did not change and re-renders when it did', async () => {
    const store = seeded(5);
    const publisher = makePublisher(store);
    await publisher.refresh();
    const first = await publisher.get('all', null, 'rss');
    const latestCalls = store.calls.latest;
    expect(await publisher.refresh()).toBe(false);
    expect(store.calls.latest).toBe(latestCalls);
    expect(await publisher.get('all', null, 'rss')).toBe(first);

    store.put(makeItem({ title: 'Tin mới nhất về Quảng Trị', publishedAt: '2025-01-01T00:00:00.000Z' }));
    expect(await publisher.refresh()).toBe(true);
    const second = await publisher.get('all', null, 'rss');
    expect(second?.etag).not.toBe(first?.etag);
    expect(second?.body.toString()).toContain('Tin mới nhất về Quảng Trị');
    expect(second?.lastModified.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps identical bytes and ETag when a version change does not touch a feed', async () => {
    const store = seeded(4);
    const publisher = makePublisher(store);
    await publisher.refresh();
    const before = await publisher.get('category', 'kinh-te', 'atom');
    store.put(makeItem({ categories: ['xay-dung-dang'] }));
    await publisher.refresh();
    const after = await publisher.get('category', 'kinh-te', 'atom');
    expect(after).not.toBe(before);
    expect(after?.etag).toBe(before?.etag);
  });

  it('renders category and source feeds lazily, once per version and limit', async () => {
    const store = seeded(12);
    const publisher = makePublisher(store);
    await publisher.refresh();
    const calls = store.calls.latest;
    const rss = await publisher.get('category', 'kinh-te', 'rss');
    await publisher.get('category', 'kinh-te', 'atom');
    await publisher.get('category', 'kinh-te', 'json');
    expect(store.calls.latest).toBe(calls + 1);
    expect((rss?.body.toString().match(/<item>/g) ?? []).length).toBe(6);
    const bySource = await publisher.get('source', 'snnmt', 'json');
    expect(JSON.parse(bySource!.body.toString()).items).toHaveLength(4);
    const limited = await publisher.get('all', null, 'json', 3);
    expect(JSON.parse(limited!.body.toString()).items).toHaveLength(3);
    await publisher.get('all', null, 'json', 3);
    expect(store.calls.latest).toBe(calls + 3);
  });

  it('bounds the cache of non-default limits without evicting the default feeds', async () => {
    const store = seeded(5);
    const publisher = makePublisher(store);
    await publisher.refresh();
    const main = await publisher.get('all', null, 'rss');
    for (let limit = 1; limit <= 200; limit++) await publisher.get('all', null, 'json', limit);
    const calls = store.calls.latest;
    expect(await publisher.get('all', null, 'rss')).toBe(main);
    await publisher.get('all', null, 'json', 200); // recent: still cached
    expect(store.calls.latest).toBe(calls);
    await publisher.get('all', null, 'json', 1); // long evicted: rendered again
    expect(store.calls.latest).toBe(calls + 1);
  });

  it('re-renders feeds readers asked for at refresh, so they never wait on the store', async () => {
    const store = seeded(6);
    const publisher = makePublisher(store);
    await publisher.refresh();
    await publisher.get('category', 'kinh-te', 'rss');
    await publisher.get('source', 'snnmt', 'atom');
    store.put(makeItem({ categories: ['kinh-te'], title: 'Tin kinh tế mới', publishedAt: '2030-01-01T00:00:00.000Z' }));
    await publisher.refresh();
    const calls = store.calls.latest;
    const rss = await publisher.get('category', 'kinh-te', 'rss');
    await publisher.get('source', 'snnmt', 'atom');
    expect(store.calls.latest).toBe(calls);
    expect(rss?.body.toString()).toContain('Tin kinh tế mới');
  });

  it('re-renders the non-default limits readers asked for at refresh, before the new version is served', async () => {
    const store = seeded(6);
    const publisher = makePublisher(store);
    await publisher.refresh();
    await publisher.get('all', null, 'rss', 2);
    await publisher.get('source', 'snnmt', 'json', 3);
    store.put(makeItem({ title: 'Tin vừa đăng', publishedAt: '2030-01-01T00:00:00.000Z', sourceIds: ['snnmt'] }));
    await publisher.refresh();
    const calls = store.calls.latest;
    const rss = await publisher.get('all', null, 'rss', 2);
    const json = await publisher.get('source', 'snnmt', 'json', 3);
    expect(store.calls.latest).toBe(calls);
    expect(rss?.body.toString()).toContain('Tin vừa đăng');
    expect(JSON.parse(json!.body.toString()).items[0].title).toBe('Tin vừa đăng');
  });

  it('warms only the most recently asked non-default limits', async () => {
    const store = seeded(5);
    const publisher = makePublisher(store);
    await publisher.refresh();
    for (let limit = 1; limit <= 20; limit++) await publisher.get('all', null, 'json', limit);
    store.put(makeItem({ title: 'Tin mới' }));
    const before = store.calls.latest;
    await publisher.refresh();
    // the default list (feeds and index page share it) and the 8 most recent limits
    expect(store.calls.latest - before).toBe(1 + 8);
    await publisher.get('all', null, 'json', 20);
    expect(store.calls.latest - before).toBe(1 + 8);
    await publisher.get('all', null, 'json', 1);
    expect(store.calls.latest - before).toBe(1 + 8 + 1);
  });

  it('answers null for unknown categories and sources, and rejects bad limits', async () => {
    const publisher = makePublisher(seeded(1));
    expect(await publisher.get('category', 'khong-co', 'rss')).toBeNull();
    expect(await publisher.get('source', 'khong-co', 'rss')).toBeNull();
    expect(await publisher.get('category', null, 'rss')).toBeNull();
    await expect(publisher.get('all', null, 'rss', 0)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(publisher.get('all', null, 'rss', 201)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await publisher.get('all', null, 'rss', 200)).not.toBeNull();
  });

  it('keeps gzip and brotli variants that decompress to the body, and a strong ETag of the body', async () => {
    const publisher = makePublisher(seeded(20));
    const rep = (await publisher.get('all', null, 'atom'))!;
    expect(gunzipSync(rep.gzip).equals(rep.body)).toBe(true);
    expect(brotliDecompressSync(rep.br).equals(rep.body)).toBe(true);
    expect(rep.gzip.length).toBeLessThan(rep.body.length);
    expect(rep.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(rep.contentType).toBe('application/atom+xml; charset=utf-8');
    expect(rep.lastModified.getMilliseconds()).toBe(0);
  });

  it('keeps serving the last good bytes while the store is down', async () => {
    const store = seeded(3);
    const publisher = makePublisher(store);
    await publisher.refresh();
    const good = await publisher.get('all', null, 'rss');
    const goodCategory = await publisher.get('category', 'kinh-te', 'rss');
    store.put(makeItem({ categories: ['kinh-te'] }));
    store.setAvailable(false);
    expect(await publisher.refresh()).toBe(false);
    expect(await publisher.get('all', null, 'rss')).toBe(good);

    store.setAvailable(true);
    store.put(makeItem({ categories: ['kinh-te'], title: 'Không đọc được' }));
    store.failQuery = (q) => q.category === 'kinh-te';
    expect(await publisher.refresh()).toBe(true);
    // the new version's category feed cannot be read: the previous bytes stand in
    const fallback = await publisher.get('category', 'kinh-te', 'rss');
    expect(fallback?.etag).toBe(goodCategory?.etag);
    expect(fallback?.body.toString()).not.toContain('Không đọc được');
    store.failQuery = null;
    expect((await publisher.get('category', 'kinh-te', 'rss'))?.body.toString()).toContain('Không đọc được');
    store.setAvailable(false);
    await expect(publisher.get('source', 'snnmt', 'rss')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('fails with STORE_UNAVAILABLE when nothing was ever rendered and the store is down', async () => {
    const store = seeded(1);
    store.setAvailable(false);
    const publisher = makePublisher(store);
    await expect(publisher.get('all', null, 'rss')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    store.setAvailable(true);
    expect(await publisher.get('all', null, 'rss')).not.toBeNull();
  });

  it('coalesces concurrent refreshes into one render', async () => {
    const store = seeded(3);
    const publisher = makePublisher(store);
    const results = await Promise.all([publisher.refresh(), publisher.refresh(), publisher.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(store.calls.version).toBe(1);
    expect(store.calls.latest).toBe(1);
  });

  it('renders the index page with autodiscovery links and escaped item titles', async () => {
    const store = seeded(2);
    store.put(makeItem({ title: '<img src=x onerror=alert(1)> & Đảng', publishedAt: '2030-01-01T00:00:00.000Z' }));
    const publisher = makePublisher(store);
    const html = (await publisher.getPage('index')).body.toString();
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(html).toContain('<link rel="alternate" type="application/feed+json"');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Đảng');
    expect(html).not.toContain('<img');
    expect(html).toContain('/category/kinh-te/feed.xml');
    expect(html).toContain('/source/snnmt/atom.xml');
    expect(html).toContain('<html lang="vi">');
    const opml = (await publisher.getPage('opml')).body.toString();
    expect((opml.match(/<outline /g) ?? []).length).toBe(1 + 3 + 2);
  });
});
