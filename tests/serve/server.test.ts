import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE_TITLE, makeItem, PUBLIC_URL } from '../publish/fixtures.js';
import { MemoryStore } from '../publish/memory-store.js';
import { healthOf, startHarness, type Harness } from './harness.js';

const TOKEN = 'a-very-secret-admin-token-123';
let h: Harness | null = null;

afterEach(async () => {
  await h?.close();
  h = null;
});

function seededStore(n = 6): MemoryStore {
  const store = new MemoryStore();
  for (let i = 0; i < n; i++) store.put(makeItem({ categories: [i % 2 ? 'kinh-te' : 'xay-dung-dang'], sourceIds: [i % 3 ? 'quangtri' : 'snnmt'] }));
  store.put(makeItem({ title: HOSTILE_TITLE, publishedAt: '2030-01-01T00:00:00.000Z', categories: ['kinh-te'] }));
  return store;
}

async function started(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness({ store: seededStore(), ...options });
  return h;
}

async function counted(harness: Harness, route: string, status: number): Promise<number> {
  const metric = await harness.metrics.feedRequests.get();
  return metric.values.find((v) => v.labels.route === route && v.labels.status === String(status))?.value ?? 0;
}

describe('feed routes', () => {
  it.each([
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/category/kinh-te/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/category/xay-dung-dang/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/source/snnmt/feed.json', 'application/feed+json; charset=utf-8'],
  ])('GET %s answers %s with caching and CORS headers', async (path, type) => {
    const harness = await started();
    const res = await harness.request('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(Date.parse(res.headers['last-modified'] ?? '')).not.toBeNaN();
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.vary).toBe('Accept, Accept-Encoding, Sec-Fetch-Dest');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-length']).toBe(String(res.body.length));
  });

  it('serves feeds both parsers read, with hostile titles intact', async () => {
    const harness = await started();
    const rss = await harness.request('GET', '/feed.xml');
    const atom = await harness.request('GET', '/atom.xml');
    expect((await new Parser().parseString(rss.text)).items[0]?.title).toBe(HOSTILE_TITLE);
    expect(parseFeed(atom.text).items[0]?.title).toBe(HOSTILE_TITLE);
    const json = JSON.parse((await harness.request('GET', '/feed.json')).text);
    expect(json.items[0].title).toBe(HOSTILE_TITLE);
    const category = JSON.parse((await harness.request('GET', '/category/kinh-te/feed.json')).text);
    expect(category.items.every((i: { tags: string[] }) => i.tags.includes('Kinh tế'))).toBe(true);
  });

  it.each([
    ['1', 200, 1],
    ['200', 200, 7],
    ['0', 400, 0],
    ['201', 400, 0],
    ['abc', 400, 0],
    ['', 400, 0],
    ['-1', 400, 0],
    ['1.5', 400, 0],
  ])('?limit=%s → %i', async (limit, status, count) => {
    const harness = await started();
    const res = await harness.request('GET', `/feed.json?limit=${limit}`);
    expect(res.status).toBe(status);
    if (status === 200) expect(JSON.parse(res.text).items).toHaveLength(count);
    else expect(res.text).toMatch(/limit/);
  });

  it.each([
    ['/category/khong-co/feed.xml', /category/i],
    ['/source/khong-co/atom.xml', /source/i],
    ['/category/kinh-te/rss.xml', /not found/i],
    ['/nothing-here', /not found/i],
    ['/category/%ZZ/feed.xml', /category/i],
  ])('%s → 404 with a short text', async (path, message) => {
    const harness = await started();
    const res = await harness.request('GET', path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toMatch(message);
    expect(res.text.length).toBeLessThan(250);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const harness = await started();
    const get = await harness.request('GET', '/atom.xml');
    const head = await harness.request('HEAD', '/atom.xml');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(String(get.body.length));
  });

  it('refuses oversized request headers with 431', async () => {
    const harness = await started();
    const res = await harness.request('GET', '/feed.xml', { 'X-Padding': 'x'.repeat(20_000) }).catch(() => null);
    expect(res === null || res.status === 431).toBe(true);
    expect((await harness.request('GET', '/healthz')).status).toBe(200);
  });

  it('answers other methods with 405 and Allow, and OPTIONS preflights', async () => {
    const harness = await started();
    const post = await harness.request('POST', '/feed.xml', {}, 'x');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await harness.request('DELETE', '/category/kinh-te/feed.json')).status).toBe(405);
    const options = await harness.request('OPTIONS', '/feed.json', { Origin: 'https://reader.example', 'Access-Control-Request-Method': 'GET' });
    expect(options.status).toBe(204);
    expect(options.headers['access-control-allow-origin']).toBe('*');
    expect(options.headers['access-control-allow-methods']).toContain('GET');
  });
});

describe('conditional requests', () => {
  it('answers 304 to a matching If-None-Match (list, weak, *) with the validators repeated', async () => {
    const harness = await started();
    const first = await harness.request('GET', '/feed.xml');
    const etag = first.headers.etag!;
    for (const inm of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const res = await harness.request('GET', '/feed.xml', { 'If-None-Match': inm });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['last-modified']).toBe(first.headers['last-modified']);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
    }
    expect((await harness.request('GET', '/feed.xml', { 'If-None-Match': '"other"' })).status).toBe(200);
    expect((await harness.request('HEAD', '/feed.xml', { 'If-None-Match': etag })).status).toBe(304);
    expect(await counted(harness, '/feed.xml', 304)).toBe(5);
  });

  it('uses If-Modified-Since only without If-None-Match', async () => {
    const harness = await started();
    const first = await harness.request('GET', '/atom.xml');
    const lm = first.headers['last-modified']!;
    expect((await harness.request('GET', '/atom.xml', { 'If-Modified-Since': lm })).status).toBe(304);
    const later = new Date(Date.parse(lm) + 3600_000).toUTCString();
    expect((await harness.request('GET', '/atom.xml', { 'If-Modified-Since': later })).status).toBe(304);
    const earlier = new Date(Date.parse(lm) - 1000).toUTCString();
    expect((await harness.request('GET', '/atom.xml', { 'If-Modified-Since': earlier })).status).toBe(200);
    expect((await harness.request('GET', '/atom.xml', { 'If-Modified-Since': 'garbage' })).status).toBe(200);
    expect((await harness.request('GET', '/atom.xml', { 'If-Modified-Since': lm, 'If-None-Match': '"stale"' })).status).toBe(200);
  });

  it('changes the ETag after the store changes and the publisher refreshes', async () => {
    const harness = await started();
    const publisher = (await import('../publish/fixtures.js')).makePublisher(harness.store);
    await harness.close();
    h = await startHarness({ store: harness.store, publisher });
    const before = await h.request('GET', '/feed.xml');
    h.store.put(makeItem({ title: 'Tin mới', publishedAt: '2031-01-01T00:00:00.000Z' }));
    expect((await h.request('GET', '/feed.xml', { 'If-None-Match': before.headers.etag! })).status).toBe(304);
    await publisher.refresh();
    const after = await h.request('GET', '/feed.xml', { 'If-None-Match': before.headers.etag! });
    expect(after.status).toBe(200);
    expect(after.text).toContain('Tin mới');
    expect(after.headers['last-modified']).toBe('Wed, 01 Jan 2031 00:00:00 GMT');
  });
});

describe('compression', () => {
  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['deflate', undefined],
    ['gzip;q=0, br;q=0', undefined],
  ])('Accept-Encoding %j → %s', async (accept, encoding) => {
    const harness = await started();
    const plain = await harness.request('GET', '/category/kinh-te/atom.xml');
    const res = await harness.request('GET', '/category/kinh-te/atom.xml', { 'Accept-Encoding': accept });
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers.etag).toBe(plain.headers.etag);
    const decoded = encoding === 'br' ? brotliDecompressSync(res.body) : encoding === 'gzip' ? gunzipSync(res.body) : res.body;
    expect(decoded.equals(plain.body)).toBe(true);
  });
});

describe('no per-request rendering', () => {
  it('makes no store call across 100 feed requests after a refresh', async () => {
    const harness = await started();
    await harness.request('GET', '/feed.xml');
    await harness.request('GET', '/category/kinh-te/feed.json');
    const latest = harness.store.calls.latest;
    const version = harness.store.calls.version;
    const paths = ['/feed.xml', '/atom.xml', '/feed.json', '/category/kinh-te/feed.json', '/'];
    for (let i = 0; i < 100; i++) {
      const res = await harness.request('GET', paths[i % paths.length]!, { 'Accept-Encoding': i % 2 ? 'gzip' : 'br' });
      expect(res.status).toBe(200);
    }
    expect(harness.store.calls.latest).toBe(latest);
    expect(harness.store.calls.version).toBe(version);
  });
});

describe('pages', () => {
  it('serves the Vietnamese index page with security headers and autodiscovery', async () => {
    const harness = await started();
    const res = await harness.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Tin tức tỉnh Quảng Trị (RSS)" href="${PUBLIC_URL}/feed.xml">`,
    );
    expect(res.text).toContain('Tin mới nhất');
    expect(res.text).toContain('A &amp; B &lt;script&gt;');
  });

  it('serves OPML listing every channel and the XSL stylesheet', async () => {
    const harness = await started();
    const opml = await harness.request('GET', '/opml.xml');
    expect(opml.status).toBe(200);
    expect(opml.headers['content-type']).toMatch(/opml|xml/);
    for (const path of [
      '/feed.xml',
      '/category/kinh-te/feed.xml',
      '/category/xay-dung-dang/feed.xml',
      '/source/quangtri/feed.xml',
      '/source/snnmt/feed.xml',
    ]) {
      expect(opml.text).toContain(`xmlUrl="${PUBLIC_URL}${path}"`);
    }
    const xsl = await harness.request('GET', '/feed.xsl');
    expect(xsl.status).toBe(200);
    expect(xsl.headers['content-type']).toBe('text/xsl; charset=utf-8');
    expect(xsl.text).toContain('<xsl:stylesheet');
  });
});

describe('WebSub', () => {
  it('sends hub and self Link headers on feeds when a hub is set', async () => {
    const harness = await started({ hub: 'https://hub.example/', websubHub: 'https://hub.example/' });
    const res = await harness.request('GET', '/category/kinh-te/atom.xml');
    expect(res.headers.link).toBe(`<https://hub.example/>; rel="hub", <${PUBLIC_URL}/category/kinh-te/atom.xml>; rel="self"`);
    expect(res.text).toContain('<link rel="hub" href="https://hub.example/"/>');
    expect(JSON.parse((await harness.request('GET', '/feed.json')).text).hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }]);
  });

  it('sends no Link header without a hub', async () => {
    const harness = await started();
    expect((await harness.request('GET', '/feed.xml')).headers.link).toBeUndefined();
  });
});

describe('health, readiness and metrics', () => {
  it('answers /healthz while serving', async () => {
    const harness = await started();
    const res = await harness.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
  });

  it('moves /readyz between 503 and 200 with the store and crawl state', async () => {
    h = await startHarness({ store: new MemoryStore() });
    let res = await h.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'not_ready', store: { ok: true }, items: 0 });
    expect(JSON.parse(res.text).reason).toMatch(/no source/);

    h.health[0] = healthOf('quangtri', '2024-01-19T13:00:00.000Z');
    res = await h.request('GET', '/readyz');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.status).toBe('ready');
    expect(body.sources).toHaveLength(2);
    expect(body.sources[0].lastSuccessAt).toBe('2024-01-19T13:00:00.000Z');

    h.store.setAvailable(false);
    res = await h.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'not_ready', store: { ok: false } });
    expect(JSON.parse(res.text).reason).toMatch(/store/);

    h.store.setAvailable(true);
    expect((await h.request('GET', '/readyz')).status).toBe(200);
  });

  it('is ready without a crawl when the store already holds items', async () => {
    const harness = await started();
    expect((await harness.request('GET', '/readyz')).status).toBe(200);
  });

  it('answers 503 on feeds when the store is down before anything was rendered, then recovers', async () => {
    const store = seededStore();
    store.setAvailable(false);
    h = await startHarness({ store });
    const res = await h.request('GET', '/feed.xml');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    store.setAvailable(true);
    expect((await h.request('GET', '/feed.xml')).status).toBe(200);
  });

  it('counts every request by route template and status, and exposes Prometheus text', async () => {
    const harness = await started();
    await harness.request('GET', '/category/kinh-te/feed.xml');
    await harness.request('GET', '/category/xay-dung-dang/feed.xml');
    await harness.request('GET', '/category/khong-co/feed.xml');
    await harness.request('GET', '/random/path');
    await harness.request('GET', '/feed.json?limit=0');
    expect(await counted(harness, '/category/:slug/feed.xml', 200)).toBe(2);
    expect(await counted(harness, '/category/:slug/feed.xml', 404)).toBe(1);
    expect(await counted(harness, 'unmatched', 404)).toBe(1);
    expect(await counted(harness, '/feed.json', 400)).toBe(1);
    const metrics = await harness.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('portalfeed_http_requests_total{route="/category/:slug/feed.xml",status="200"} 2');
    expect(metrics.text).not.toContain('route="/category/kinh-te');
  });
});

describe('admin crawl', () => {
  it('does not exist without an admin token', async () => {
    const harness = await started();
    expect((await harness.request('POST', '/admin/crawl', { Authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    expect(harness.crawls).toEqual([]);
  });

  it.each([
    [{}, 401],
    [{ Authorization: 'Bearer wrong-token' }, 401],
    [{ Authorization: `Basic ${TOKEN}` }, 401],
    [{ Authorization: `Bearer ${TOKEN}x` }, 401],
    [{ Authorization: `Bearer ${TOKEN}` }, 202],
    [{ Authorization: `bearer ${TOKEN}` }, 202],
  ])('authorization %j → %i', async (headers, status) => {
    const harness = await started({ adminToken: TOKEN });
    const res = await harness.request('POST', '/admin/crawl', headers as Record<string, string>);
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(harness.crawls).toEqual(status === 202 ? [null] : []);
  });

  it('crawls one source, 404s unknown sources, 409s when running, 405s on GET, 413s on big bodies', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    let harness = await started({ adminToken: TOKEN });
    const ok = await harness.request('POST', '/admin/crawl?source=snnmt', auth);
    expect(ok.status).toBe(202);
    expect(JSON.parse(ok.text)).toEqual({ accepted: true, source: 'snnmt' });
    expect((await harness.request('POST', '/admin/crawl?source=khong-co', auth)).status).toBe(404);
    const get = await harness.request('GET', '/admin/crawl', auth);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await harness.request('POST', '/admin/crawl', { ...auth, 'Content-Type': 'text/plain' }, 'x'.repeat(10_000))).status).toBe(413);
    expect(harness.crawls).toEqual(['snnmt']);
    await harness.close();

    h = harness = await startHarness({ store: seededStore(), adminToken: TOKEN, crawlAccepts: false });
    const busy = await harness.request('POST', '/admin/crawl?source=quangtri', auth);
    expect(busy.status).toBe(409);
    expect(JSON.parse(busy.text)).toMatchObject({ accepted: false, reason: 'already running' });
  });
});
