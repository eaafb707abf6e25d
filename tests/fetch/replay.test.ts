import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { SEED_TITLE, articleHtml, encodeWindows1258 } from './support.js';

let dir: string;
let portal: ReplayPortal;

async function raw(url: string, init: { method?: 'GET' | 'HEAD' | 'POST'; headers?: Record<string, string> } = {}) {
  const res = await request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pf-replay-'));
  mkdirSync(path.join(dir, 'pages'));
  writeFileSync(path.join(dir, 'pages', 'article.html'), articleHtml(SEED_TITLE, 'Nội dung'));
  writeFileSync(path.join(dir, 'pages', 'feed.xml'), '<rss/>');
  writeFileSync(path.join(dir, 'pages', 'old.html'), encodeWindows1258(articleHtml(SEED_TITLE, 'cũ')));
  writeFileSync(
    path.join(dir, 'site.json'),
    JSON.stringify({
      routes: {
        '/tin-tuc/tong-ket': 'pages/article.html',
        '/rss.xml': 'pages/feed.xml',
        '/chi-tiet-tin/-/view-article/1/5/1705668480000?lang=vi': {
          file: 'pages/old.html',
          contentType: 'text/html; charset=windows-1258',
          lastModified: 'Fri, 19 Jan 2024 12:48:00 GMT',
        },
        '/inline': { body: 'hello', status: 201, headers: { 'x-portal': 'yes' } },
      },
      robots: 'User-agent: *\nDisallow: /admin\n',
    }),
  );
  portal = await startReplayPortal(loadReplaySite(dir));
});
afterAll(async () => {
  await portal.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => portal.reset());

describe('replay portal', () => {
  it('serves files from site.json with content types from the extension or the route', async () => {
    const article = await raw(`${portal.url}/tin-tuc/tong-ket`);
    expect(article.status).toBe(200);
    expect(article.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(article.body.toString('utf8')).toContain(SEED_TITLE);
    expect((await raw(`${portal.url}/rss.xml`)).headers['content-type']).toBe('application/xml; charset=utf-8');
    const old = await raw(`${portal.url}/chi-tiet-tin/-/view-article/1/5/1705668480000?lang=vi`);
    expect(old.headers['content-type']).toBe('text/html; charset=windows-1258');
    expect(old.headers['last-modified']).toBe('Fri, 19 Jan 2024 12:48:00 GMT');
    const inline = await raw(`${portal.url}/inline`);
    expect([inline.status, inline.headers['x-portal'], inline.body.toString()]).toEqual([201, 'yes', 'hello']);
  });

  it('matches path and query exactly', async () => {
    expect((await raw(`${portal.url}/chi-tiet-tin/-/view-article/1/5/1705668480000`)).status).toBe(404);
    expect((await raw(`${portal.url}/chi-tiet-tin/-/view-article/1/5/1705668480000?lang=en`)).status).toBe(404);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket?x=1`)).status).toBe(404);
  });

  it('answers conditional requests with 304 and a strong ETag of the bytes', async () => {
    const first = await raw(`${portal.url}/tin-tuc/tong-ket`);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^W]/);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-none-match': `"x", W/${etag}` } })).status).toBe(304);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-none-match': '"x"' } })).status).toBe(200);
    const lm = String(first.headers['last-modified']);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-modified-since': lm } })).status).toBe(304);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' } })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { headers: { 'if-none-match': '"x"', 'if-modified-since': lm } })).status).toBe(200);
    portal.setRoute('/changing', { body: 'v1' });
    const v1 = String((await raw(`${portal.url}/changing`)).headers.etag);
    portal.setRoute('/changing', { body: 'v2' });
    expect((await raw(`${portal.url}/changing`, { headers: { 'if-none-match': v1 } })).status).toBe(200);
  });

  it('answers HEAD without a body, rejects other methods, records every request', async () => {
    const head = await raw(`${portal.url}/tin-tuc/tong-ket`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
    expect((await raw(`${portal.url}/tin-tuc/tong-ket`, { method: 'POST' })).status).toBe(405);
    expect(portal.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['HEAD', '/tin-tuc/tong-ket', 200],
      ['POST', '/tin-tuc/tong-ket', 405],
    ]);
    expect(portal.count('/tin-tuc')).toBe(2);
    expect(portal.count('/nothing')).toBe(0);
    portal.reset();
    expect(portal.count()).toBe(0);
  });

  it('serves robots.txt from the manifest, and 404 once set to null', async () => {
    expect((await raw(`${portal.url}/robots.txt`)).body.toString()).toContain('Disallow: /admin');
    portal.setRobots(null);
    expect((await raw(`${portal.url}/robots.txt`)).status).toBe(404);
    portal.setRobots('User-agent: *\nDisallow: /admin\n');
  });

  it('compresses only for clients that accept the coding', async () => {
    portal.setRoute('/gz', { body: 'xin chào '.repeat(50), encoding: 'gzip' });
    const plain = await raw(`${portal.url}/gz`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await raw(`${portal.url}/gz`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('xin chào '.repeat(50));
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    const refused = await raw(`${portal.url}/gz`, { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('status faults apply `times` times, then the route answers again', async () => {
    portal.setFault('/inline', { kind: 'status', status: 503, retryAfter: '2', times: 2 });
    const first = await raw(`${portal.url}/inline`);
    expect([first.status, first.headers['retry-after']]).toEqual([503, '2']);
    expect((await raw(`${portal.url}/inline`)).status).toBe(503);
    expect((await raw(`${portal.url}/inline`)).status).toBe(201);
  });

  it('streams an oversize body without piling up listeners (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      portal.setFault('/inline', { kind: 'oversize', bytes: 4 * 1024 * 1024 });
      const res = await raw(`${portal.url}/inline`);
      expect(res.body.length).toBe(4 * 1024 * 1024);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      portal.setFault('/inline', null);
      process.off('warning', onWarning);
    }
  });

  it('reads files relative to the site folder, shared ones included; a missing file is a 500', async () => {
    writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-shared.html`), '<p>shared</p>');
    portal.setRoute('/shared', { file: `../${path.basename(dir)}-shared.html` });
    expect((await raw(`${portal.url}/shared`)).body.toString()).toBe('<p>shared</p>');
    rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-shared.html`));
    portal.setRoute('/missing', { file: 'pages/missing.html' });
    expect((await raw(`${portal.url}/missing`)).status).toBe(500);
    portal.setRoute('/missing', null);
    expect((await raw(`${portal.url}/missing`)).status).toBe(404);
  });
});

describe('loadReplaySite', () => {
  it('turns string routes into file routes rooted at the folder', () => {
    const site = loadReplaySite(dir);
    expect(site.root).toBe(path.resolve(dir));
    expect(site.routes['/tin-tuc/tong-ket']).toEqual({ file: 'pages/article.html' });
    expect(site.robots).toContain('Disallow');
  });

  it.each([
    ['not json', '{'],
    ['route key without slash', JSON.stringify({ routes: { 'tin-tuc': 'a.html' } })],
    ['unknown field', JSON.stringify({ routes: {}, extra: 1 })],
  ])('rejects a bad manifest: %s', (_name, text) => {
    const bad = mkdtempSync(path.join(tmpdir(), 'pf-site-'));
    writeFileSync(path.join(bad, 'site.json'), text);
    expect(() => loadReplaySite(bad)).toThrow(ConfigError);
    rmSync(bad, { recursive: true, force: true });
  });
});
