import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wantsHtmlPreview } from '../../src/serve/negotiate.js';
import { HOSTILE_TITLE, makeItem, PUBLIC_URL } from '../publish/fixtures.js';
import { MemoryStore } from '../publish/memory-store.js';
import { startHarness, type Harness } from './harness.js';

/** What Chromium sends when a feed URL is typed into the address bar or a link to it is clicked. */
const CHROMIUM_NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-site': 'none',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/** Request headers of feed readers and tools (as they send them), none of which may get HTML. */
const READERS: Array<[string, Record<string, string>]> = [
  ['curl', { accept: '*/*', 'user-agent': 'curl/8.5.0' }],
  ['no Accept at all', {}],
  [
    'python feedparser',
    {
      accept: 'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1',
      'accept-encoding': 'gzip, deflate',
    },
  ],
  ['rss-parser', { accept: 'application/rss+xml', 'user-agent': 'rss-parser' }],
  [
    'FreshRSS / SimplePie',
    {
      accept:
        'application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, unknown/unknown;q=0.1, application/unknown;q=0.1, */*;q=0.1',
    },
  ],
  [
    'Miniflux',
    { accept: 'application/rss+xml, application/rdf+xml;q=0.9, application/atom+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5' },
  ],
  ['a browser fetch() from a web app', { accept: '*/*', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }],
  ['a navigation that names the feed type first', { accept: 'application/rss+xml,text/html;q=0.9', 'sec-fetch-dest': 'document' }],
];

/** Asynchronous: the server under test answers from this same process. */
const run = promisify(execFile);
const output = async (file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Buffer> =>
  (await run(file, args, { encoding: 'buffer', timeout: 45_000, ...(env ? { env } : {}) })).stdout;

let h: Harness;
beforeAll(async () => {
  const store = new MemoryStore();
  for (let i = 0; i < 4; i++) store.put(makeItem({ categories: ['kinh-te'] }));
  store.put(makeItem({ title: HOSTILE_TITLE, publishedAt: '2030-01-01T00:00:00.000Z', categories: ['kinh-te'] }));
  h = await startHarness({ store });
});
afterAll(async () => {
  await h.close();
});

describe('wantsHtmlPreview', () => {
  it.each<[string, boolean, Record<string, string>]>([
    ['Chromium navigation', true, CHROMIUM_NAVIGATION],
    ['Firefox navigation', true, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'sec-fetch-dest': 'document' }],
    ['an old browser (no Sec-Fetch-*)', true, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }],
    ['Accept: text/html alone', true, { accept: 'text/html' }],
    ['navigation with Accept */*', true, { accept: '*/*', 'sec-fetch-dest': 'document' }],
    ['HTML only as a fallback', false, { accept: 'application/xml, text/html;q=0.5' }],
    ['an iframe', true, { accept: 'text/html', 'sec-fetch-dest': 'iframe' }],
    ...READERS.map(([name, headers]): [string, boolean, Record<string, string>] => [name, false, headers]),
  ])('%s → %s', (_name, expected, headers) => {
    expect(wantsHtmlPreview(headers)).toBe(expected);
  });
});

describe('a feed URL opened in a browser', () => {
  it.each([
    ['/feed.xml', 'RSS 2.0', ['/atom.xml', '/feed.json']],
    ['/atom.xml', 'Atom 1.0', ['/feed.xml', '/feed.json']],
    ['/feed.json', 'JSON Feed 1.1', ['/feed.xml', '/atom.xml']],
    ['/category/kinh-te/feed.xml', 'RSS 2.0', ['/category/kinh-te/atom.xml', '/category/kinh-te/feed.json']],
  ])('%s: an HTML page saying what the feed is, the URL to copy, the other formats and the latest items', async (path, format, others) => {
    const res = await h.request('GET', path, CHROMIUM_NAVIGATION);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('br');
    const { brotliDecompressSync } = await import('node:zlib');
    const html = brotliDecompressSync(res.body).toString('utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`nguồn tin ${format} (feed)`);
    expect(html).toContain(`<input type="text" readonly value="${PUBLIC_URL}${path}">`);
    for (const other of others) expect(html).toContain(`<a href="${PUBLIC_URL}${other}">`);
    expect(html).toContain('A &amp; B &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html.match(/<li><a href=/g)?.length).toBe(5);
    expect(res.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers.vary).toBe('Accept, Accept-Encoding, Sec-Fetch-Dest');
  });

  it('headless Chromium, navigating to it, renders the preview', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'pf-chromium-'));
    try {
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ];
      const dom = (await output('chromium', [...flags, `--user-data-dir=${profile}`, '--dump-dom', `${h.base}/feed.xml`])).toString('utf8');
      expect(dom).toContain(`<input type="text" readonly="" value="${PUBLIC_URL}/feed.xml">`);
      expect(dom).toContain('<h2>Tin mới nhất</h2>');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);

  it('has its own ETag: a browser revalidating gets 304, and HEAD the same headers', async () => {
    const first = await h.request('GET', '/feed.xml', CHROMIUM_NAVIGATION);
    const feed = await h.request('GET', '/feed.xml');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.etag).not.toBe(feed.headers.etag);
    const again = await h.request('GET', '/feed.xml', { ...CHROMIUM_NAVIGATION, 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.headers.vary).toBe('Accept, Accept-Encoding, Sec-Fetch-Dest');
    // the preview's ETag does not validate the feed, nor the feed's the preview
    expect((await h.request('GET', '/feed.xml', { 'if-none-match': first.headers.etag! })).status).toBe(200);
    expect((await h.request('GET', '/feed.xml', { ...CHROMIUM_NAVIGATION, 'if-none-match': feed.headers.etag! })).status).toBe(200);
    const head = await h.request('HEAD', '/feed.xml', CHROMIUM_NAVIGATION);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.body.length).toBe(0);
  });

  it('with ?limit= the URL to copy keeps it; unknown channels and bad limits answer as for readers', async () => {
    const html = (await h.request('GET', '/feed.xml?limit=2', { accept: 'text/html' })).text;
    expect(html).toContain(`value="${PUBLIC_URL}/feed.xml?limit=2"`);
    expect(html.match(/<li><a href=/g)?.length).toBe(2);
    const filtered = (await h.request('GET', '/feed.xml?category=kinh-te&limit=3', { accept: 'text/html' })).text;
    expect(filtered).toMatch(new RegExp(`value="${PUBLIC_URL}/feed\\.xml\\?category=kinh-te&amp;limit=3"`));
    expect(filtered).toContain(`<a href="${PUBLIC_URL}/atom.xml?category=kinh-te&amp;limit=3">`);
    expect(filtered).toContain('(lọc: ');
    expect(filtered.match(/<li><a href=/g)?.length).toBe(3);
    expect((await h.request('GET', '/category/nope/feed.xml', CHROMIUM_NAVIGATION)).status).toBe(404);
    expect((await h.request('GET', '/feed.xml?limit=0', CHROMIUM_NAVIGATION)).status).toBe(400);
  });
});

describe('a feed URL fetched by a reader', () => {
  it.each(READERS)('%s gets the feed byte for byte, with its ETag and 304', async (_name, headers) => {
    const plain = await h.request('GET', '/feed.xml');
    const res = await h.request('GET', '/feed.xml', { ...headers, 'accept-encoding': 'identity' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.body.equals(plain.body)).toBe(true);
    expect(res.headers.etag).toBe(plain.headers.etag);
    expect(res.headers.vary).toBe('Accept, Accept-Encoding, Sec-Fetch-Dest');
    expect((await h.request('GET', '/feed.xml', { ...headers, 'if-none-match': plain.headers.etag! })).status).toBe(304);
  });

  it('real clients get XML: curl, python feedparser, rss-parser and newsboat', async () => {
    const url = `${h.base}/feed.xml`;
    const plain = (await h.request('GET', '/feed.xml')).body;
    expect((await output('curl', ['-s', url])).equals(plain)).toBe(true);
    expect((await output('curl', ['-s', '--compressed', url])).equals(plain)).toBe(true);

    const feedparser = await output('/usr/bin/python3', [
      '-c',
      'import sys, feedparser; d = feedparser.parse(sys.argv[1]); print(int(d.bozo), d.version, len(d.entries), d.headers.get("content-type"))',
      url,
    ]);
    expect(feedparser.toString().trim()).toBe('0 rss20 5 application/rss+xml; charset=utf-8');

    const parsed = await new Parser().parseURL(url);
    expect(parsed.items).toHaveLength(5);

    const dir = mkdtempSync(join(tmpdir(), 'pf-newsboat-'));
    try {
      writeFileSync(join(dir, 'urls'), `${url}\n`);
      writeFileSync(join(dir, 'config'), `error-log "${join(dir, 'errors.log')}"\n`);
      await output('newsboat', ['-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config'), '-x', 'reload'], {
        ...process.env,
        HOME: dir,
      });
      const count = await output('/usr/bin/python3', [
        '-c',
        'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from rss_item").fetchone()[0])',
        join(dir, 'cache.db'),
      ]);
      expect(count.toString().trim()).toBe('5');
      let errors = '';
      try {
        errors = readFileSync(join(dir, 'errors.log'), 'utf8');
      } catch {
        // no log written: no error
      }
      expect(errors).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
