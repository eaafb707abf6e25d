import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReplayPortal, type Fault, type ReplayPortal } from '../../src/replay/index.js';
import type { RequestEvent } from '../../src/fetch/index.js';
import { SEED_LEAD, SEED_TITLE, articleHtml, encodeWindows1258, fetchError, testClient } from './support.js';

const ARTICLE = articleHtml(SEED_TITLE, SEED_LEAD);

let portal: ReplayPortal;

beforeAll(async () => {
  portal = await startReplayPortal({
    routes: {
      '/tin-tuc/tong-ket': { body: ARTICLE },
      '/tin-tuc?page=2': { body: '<html><body>page 2</body></html>' },
      '/404-page': { status: 404, body: 'gone' },
    },
    robots: 'User-agent: *\nDisallow: /admin/\n',
  });
});
afterAll(async () => portal.close());
beforeEach(() => portal.reset());
afterEach(() => {
  for (const path of ['/fault']) portal.setFault(path, null);
});

describe('createHttpClient: success paths', () => {
  it('fetches a page, decodes it and reports validators, final URL and bytes', async () => {
    const events: RequestEvent[] = [];
    const { client } = testClient({ onRequest: (e) => events.push(e) });
    const res = await client.get({ url: `${portal.url}/tin-tuc/tong-ket` });
    expect(res.status).toBe(200);
    expect(res.notModified).toBe(false);
    expect(res.text).toContain(SEED_TITLE);
    expect(res.charset).toBe('utf-8');
    expect(res.url).toBe(`${portal.url}/tin-tuc/tong-ket`);
    expect(res.bytes).toBe(Buffer.byteLength(ARTICLE));
    expect(res.validators.etag).toMatch(/^"[\w-]+"$/);
    expect(res.validators.lastModified).toBe('Mon, 15 Jan 2024 08:00:00 GMT');
    expect(res.contentType).toBe('text/html; charset=utf-8');
    const page = portal.requests.find((r) => r.path === '/tin-tuc/tong-ket');
    expect(page?.headers['user-agent']).toBe('portalfeed/0.1 (+https://github.com/portalfeed/portalfeed)');
    expect(page?.headers['accept-encoding']).toBe('gzip, deflate, br');
    const robots = portal.requests.find((r) => r.path === '/robots.txt');
    expect(robots?.headers['user-agent']).toContain('portalfeed/0.1');
    expect(events.map((e) => [new URL(e.url).pathname, e.status, e.robots ?? false])).toEqual([
      ['/robots.txt', 200, true],
      ['/tin-tuc/tong-ket', 200, false],
    ]);
    expect(client.stats()).toMatchObject({ requests: 2, notModified: 0 });
    await client.close();
  });

  it('matches routes on path and query string', async () => {
    const { client } = testClient();
    expect((await client.get({ url: `${portal.url}/tin-tuc?page=2#frag` })).text).toContain('page 2');
    const err = await fetchError(client.get({ url: `${portal.url}/tin-tuc?page=3` }));
    expect([err.code, err.status]).toEqual(['FETCH_HTTP_STATUS', 404]);
    await client.close();
  });

  it('conditional GET: 304 gives notModified, empty text and keeps the validators', async () => {
    const { client } = testClient();
    const first = await client.get({ url: `${portal.url}/tin-tuc/tong-ket` });
    const byEtag = await client.get({ url: `${portal.url}/tin-tuc/tong-ket`, validators: { etag: first.validators.etag, lastModified: null } });
    expect(byEtag).toMatchObject({ status: 304, notModified: true, text: '' });
    expect(byEtag.validators.etag).toBe(first.validators.etag);
    const byDate = await client.get({
      url: `${portal.url}/tin-tuc/tong-ket`,
      validators: { etag: null, lastModified: first.validators.lastModified },
    });
    expect(byDate.notModified).toBe(true);
    const stale = await client.get({ url: `${portal.url}/tin-tuc/tong-ket`, validators: { etag: '"other"', lastModified: null } });
    expect(stale.status).toBe(200);
    const sent = portal.requests.filter((r) => r.path === '/tin-tuc/tong-ket').map((r) => r.headers['if-none-match'] ?? null);
    expect(sent).toEqual([null, first.validators.etag, null, '"other"']);
    expect(portal.requests.filter((r) => r.path === '/tin-tuc/tong-ket').map((r) => r.status)).toEqual([200, 304, 304, 200]);
    expect(client.stats().notModified).toBe(2);
    await client.close();
  });

  it('decodes a windows-1258 page to NFC Vietnamese', async () => {
    const html = articleHtml(SEED_TITLE, SEED_LEAD);
    portal.setRoute('/cp1258', { body: encodeWindows1258(html), contentType: 'text/html; charset=windows-1258' });
    portal.setRoute('/cp1258-meta', { body: encodeWindows1258(articleHtml(SEED_TITLE, SEED_LEAD, 'windows-1258')), contentType: 'text/html' });
    const { client } = testClient();
    for (const path of ['/cp1258', '/cp1258-meta']) {
      const res = await client.get({ url: portal.url + path });
      expect(res.charset).toBe('windows-1258');
      expect(res.text).toContain(SEED_TITLE.normalize('NFC'));
      expect(res.text).toContain('Tỉnh ủy');
      expect(res.text).toBe(res.text.normalize('NFC'));
    }
    await client.close();
  });

  it.each(['gzip', 'br', 'deflate'] as const)('decodes a %s response', async (encoding) => {
    portal.setRoute(`/enc-${encoding}`, { body: ARTICLE, encoding });
    const { client } = testClient();
    const res = await client.get({ url: `${portal.url}/enc-${encoding}` });
    expect(res.text).toBe(ARTICLE);
    expect(res.bytes).toBeLessThan(Buffer.byteLength(ARTICLE));
    expect(portal.requests.at(-1)?.headers['accept-encoding']).toContain(encoding);
    await client.close();
  });

  it('decodes raw deflate (a common server mistake) and stacked codings', async () => {
    portal.setRoute('/raw-deflate', { body: deflateRawSync(Buffer.from(ARTICLE)), headers: { 'content-encoding': 'deflate' } });
    portal.setRoute('/stacked', {
      body: brotliCompressSync(gzipSync(Buffer.from(ARTICLE))),
      headers: { 'content-encoding': 'gzip, br' },
    });
    const { client } = testClient();
    expect((await client.get({ url: `${portal.url}/raw-deflate` })).text).toBe(ARTICLE);
    expect((await client.get({ url: `${portal.url}/stacked` })).text).toBe(ARTICLE);
    await client.close();
  });
});

describe('createHttpClient: faults', () => {
  const cases: Array<[string, Fault, string, Record<string, unknown>?]> = [
    ['slow headers', { kind: 'slow', delayMs: 1_000 }, 'FETCH_TIMEOUT'],
    ['stalled body', { kind: 'slowBody', delayMs: 1_000 }, 'FETCH_TIMEOUT'],
    ['HTTP 500', { kind: 'status', status: 500 }, 'FETCH_HTTP_STATUS', { status: 500 }],
    ['HTTP 403', { kind: 'status', status: 403 }, 'FETCH_HTTP_STATUS', { status: 403 }],
    ['connection reset', { kind: 'reset' }, 'FETCH_NETWORK'],
    ['truncated body', { kind: 'truncate' }, 'FETCH_NETWORK'],
    ['declared oversize body', { kind: 'oversize', bytes: 3 * 1024 * 1024 }, 'FETCH_TOO_LARGE'],
    ['chunked oversize body', { kind: 'oversize', bytes: 3 * 1024 * 1024, chunked: true }, 'FETCH_TOO_LARGE'],
    ['redirect loop', { kind: 'redirectLoop' }, 'FETCH_TOO_MANY_REDIRECTS'],
    ['redirect to another scheme', { kind: 'redirect', to: 'ftp://127.0.0.1/x' }, 'FETCH_BAD_REDIRECT', { status: 302 }],
  ];

  it.each(cases)('%s → %s, and the client keeps working', async (_name, fault, code, extra) => {
    portal.setRoute('/fault', { body: ARTICLE });
    portal.setFault('/fault', fault);
    const { client } = testClient({ timeoutMs: 300 });
    const err = await fetchError(client.get({ url: `${portal.url}/fault` }));
    expect(err.code).toBe(code);
    expect(err.url).toBe(`${portal.url}/fault`);
    if (extra) expect(err).toMatchObject(extra);
    if (code !== 'FETCH_HTTP_STATUS' && code !== 'FETCH_TOO_MANY_REDIRECTS' && code !== 'FETCH_BAD_REDIRECT') expect(err.cause).toBeInstanceOf(Error);
    const ok = await client.get({ url: `${portal.url}/tin-tuc/tong-ket` });
    expect(ok.text).toContain(SEED_TITLE);
    await client.close();
  });

  it('stops a compressed body whose decoded size passes the limit (zip bomb)', async () => {
    portal.setRoute('/bomb', { body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a')), headers: { 'content-encoding': 'gzip' } });
    const { client } = testClient({ maxBodyBytes: 1024 * 1024 });
    const err = await fetchError(client.get({ url: `${portal.url}/bomb` }));
    expect(err.code).toBe('FETCH_TOO_LARGE');
    await client.close();
  });

  it('classifies DNS failures and refused connections', async () => {
    const { client } = testClient({ respectRobots: false });
    expect((await fetchError(client.get({ url: 'http://portal.nonexistent.invalid/' }))).code).toBe('FETCH_DNS');
    const closed = await startReplayPortal({ routes: {} });
    const url = closed.url;
    await closed.close();
    const refused = await fetchError(client.get({ url: `${url}/x` }));
    expect(refused.code).toBe('FETCH_NETWORK');
    expect((refused.cause as { code?: string }).code).toBe('ECONNREFUSED');
    await client.close();
  });

  it('rejects non-http URLs without a request', async () => {
    const { client } = testClient();
    expect((await fetchError(client.get({ url: 'file:///etc/passwd' }))).code).toBe('FETCH_NETWORK');
    expect(client.stats().requests).toBe(0);
    await client.close();
  });

  it('aborts on the caller signal with FETCH_ABORTED, also while waiting to retry', async () => {
    portal.setRoute('/fault', { body: ARTICLE });
    portal.setFault('/fault', { kind: 'slow', delayMs: 1_000 });
    const { client } = testClient({ timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await fetchError(client.get({ url: `${portal.url}/fault`, signal: controller.signal }));
    expect(err.code).toBe('FETCH_ABORTED');

    portal.setFault('/fault', { kind: 'status', status: 503 });
    const { client: retrying } = testClient({ retries: 3, sleep: undefined, retryBaseMs: 10_000 });
    const later = new AbortController();
    setTimeout(() => later.abort(), 100);
    const started = Date.now();
    const err2 = await fetchError(retrying.get({ url: `${portal.url}/fault`, signal: later.signal }));
    expect(err2.code).toBe('FETCH_ABORTED');
    expect(Date.now() - started).toBeLessThan(2_000);
    await Promise.all([client.close(), retrying.close()]);
  });
});

describe('createHttpClient: retries', () => {
  it('retries a 500 twice and succeeds on the third request, with jittered exponential backoff', async () => {
    portal.setRoute('/fault', { body: ARTICLE });
    portal.setFault('/fault', { kind: 'status', status: 500, times: 2 });
    const { client, sleeps } = testClient({ retries: 2, retryBaseMs: 200, random: () => 0.5 });
    const res = await client.get({ url: `${portal.url}/fault` });
    expect(res.text).toContain(SEED_TITLE);
    expect(portal.requests.filter((r) => r.path === '/fault').map((r) => r.status)).toEqual([500, 500, 200]);
    expect(sleeps).toEqual([100, 200]);
    await client.close();
  });

  it('gives up after `retries` attempts with the last status', async () => {
    portal.setFault('/fault', { kind: 'status', status: 502 });
    const { client, sleeps } = testClient({ retries: 2 });
    const err = await fetchError(client.get({ url: `${portal.url}/fault` }));
    expect([err.code, err.status]).toEqual(['FETCH_HTTP_STATUS', 502]);
    expect(portal.count('/fault')).toBe(3);
    expect(sleeps).toHaveLength(2);
    await client.close();
  });

  it.each([
    [404, 1],
    [403, 1],
    [410, 1],
    [408, 3],
    [429, 3],
    [503, 3],
  ])('HTTP %i is requested %i time(s) with retries 2', async (status, times) => {
    portal.setFault('/fault', { kind: 'status', status });
    const { client } = testClient({ retries: 2 });
    await fetchError(client.get({ url: `${portal.url}/fault` }));
    expect(portal.count('/fault')).toBe(times);
    await client.close();
  });

  it('retries resets and timeouts, but not oversize bodies', async () => {
    portal.setRoute('/fault', { body: ARTICLE });
    const { client } = testClient({ retries: 1, timeoutMs: 200 });
    for (const [fault, expected] of [
      [{ kind: 'reset' }, 2],
      [{ kind: 'slow', delayMs: 500 }, 2],
      [{ kind: 'oversize', bytes: 2 * 1024 * 1024 }, 1],
    ] as Array<[Fault, number]>) {
      portal.reset();
      portal.setFault('/fault', fault);
      await fetchError(client.get({ url: `${portal.url}/fault` }));
      expect(portal.count('/fault')).toBe(expected);
    }
    await client.close();
  });

  it.each([
    ['seconds', () => '7', 7_000],
    ['HTTP date', () => new Date(Date.now() + 30_000).toUTCString(), 30_000],
  ])('honours Retry-After given in %s on 429', async (_kind, makeRetryAfter, expectedMs) => {
    const retryAfter = makeRetryAfter();
    portal.setRoute('/fault', { body: ARTICLE });
    portal.setFault('/fault', { kind: 'status', status: 429, retryAfter, times: 1 });
    const { client, sleeps } = testClient({ retries: 1 });
    const res = await client.get({ url: `${portal.url}/fault` });
    expect(res.status).toBe(200);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(expectedMs - 2_000);
    expect(sleeps[0]).toBeLessThanOrEqual(expectedMs);
    await client.close();
  });

  it('fails at once when Retry-After exceeds the cap', async () => {
    portal.setFault('/fault', { kind: 'status', status: 503, retryAfter: '3600' });
    const { client, sleeps } = testClient({ retries: 3, maxRetryAfterMs: 300_000 });
    const err = await fetchError(client.get({ url: `${portal.url}/fault` }));
    expect([err.code, err.status]).toEqual(['FETCH_HTTP_STATUS', 503]);
    expect(err.details).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
    expect(portal.count('/fault')).toBe(1);
    await client.close();
  });

  it('really waits a small Retry-After with the default sleep', async () => {
    portal.setRoute('/fault', { body: ARTICLE });
    portal.setFault('/fault', { kind: 'status', status: 503, retryAfter: '1', times: 1 });
    const { client } = testClient({ retries: 1, sleep: undefined });
    await client.get({ url: `${portal.url}/fault` });
    const [first, second] = portal.requests.filter((r) => r.path === '/fault');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    await client.close();
  });
});

describe('createHttpClient: redirects', () => {
  it('follows relative redirects and reports the final URL', async () => {
    portal.setFault('/old', { kind: 'redirect', to: '../tin-tuc/tong-ket', status: 301 });
    const { client } = testClient();
    const res = await client.get({ url: `${portal.url}/old` });
    expect(res.url).toBe(`${portal.url}/tin-tuc/tong-ket`);
    expect(res.text).toContain(SEED_TITLE);
    portal.setFault('/old', null);
    await client.close();
  });

  it('counts hops against maxRedirects', async () => {
    for (let i = 0; i < 4; i++) portal.setFault(`/hop${i}`, { kind: 'redirect', to: i === 3 ? '/tin-tuc/tong-ket' : `/hop${i + 1}` });
    const { client: strict } = testClient({ maxRedirects: 3 });
    expect((await fetchError(strict.get({ url: `${portal.url}/hop0` }))).code).toBe('FETCH_TOO_MANY_REDIRECTS');
    const { client: lenient } = testClient({ maxRedirects: 4 });
    expect((await lenient.get({ url: `${portal.url}/hop0` })).url).toBe(`${portal.url}/tin-tuc/tong-ket`);
    for (let i = 0; i < 4; i++) portal.setFault(`/hop${i}`, null);
    await Promise.all([strict.close(), lenient.close()]);
  });

  it('checks each hop against robots.txt', async () => {
    portal.setFault('/to-admin', { kind: 'redirect', to: '/admin/secret' });
    const { client } = testClient();
    const err = await fetchError(client.get({ url: `${portal.url}/to-admin` }));
    expect(err.code).toBe('FETCH_ROBOTS_DISALLOWED');
    expect(portal.count('/admin')).toBe(0);
    portal.setFault('/to-admin', null);
    await client.close();
  });
});
