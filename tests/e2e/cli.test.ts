import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify, load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT, openEmbeddedStore } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

describe('portalfeed CLI', () => {
  let portal: ReplayPortal;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-cli-'));
    configFile = join(dir, 'portalfeed.yaml');
    writeFileSync(
      configFile,
      stringify({
        server: { port: 8080, publicUrl: 'http://localhost:8080' },
        store: { redisUrl: null, dataDir: join(dir, 'data') },
        feed: { title: 'Tin tức tỉnh Quảng Trị', description: '...', language: 'vi', maxItems: 50 },
        tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
        sources: [
          {
            id: 'quangtri',
            name: 'Cổng Thông tin điện tử tỉnh Quảng Trị',
            baseUrl: portal.url,
            schedule: '*/15 * * * *',
            sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
            linkPattern: '^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$',
            maxPages: 3,
            selectors: {},
            http: { timeoutMs: 15000, retries: 2, concurrency: 2, delayMs: 0 },
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await portal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('crawls twice in a row and stores each article exactly once', async () => {
    const first = await cli(['crawl', '--config', configFile]);
    expect(first.stderr).not.toMatch(/Error|at .*\.ts:/);
    expect(first.stdout).toMatch(/^quangtri: partial .*2 listing pages \(0 not modified\), 4 articles fetched, 4 new/m);
    expect(first.code).toBe(0);
    const second = await cli(['crawl', '--config', configFile]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^quangtri: ok, 1 listing pages \(1 not modified\), 0 articles fetched, 0 new/m);
    const store = await openEmbeddedStore(join(dir, 'data'));
    try {
      const items = await store.latest({ limit: 100 });
      expect(items).toHaveLength(4);
      expect(new Set(items.map((i) => i.guid)).size).toBe(4);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('logs at info carry no stack traces, and the dead link is logged once as a 404', async () => {
    const config = parseYaml(readFileSync(configFile, 'utf8')) as { store: { dataDir: string } };
    config.store.dataDir = join(dir, 'data-info');
    const file = join(dir, 'info.yaml');
    writeFileSync(file, stringify(config));
    const run = await cli(['crawl', '--config', file], { LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    const lines = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; err?: Record<string, unknown> });
    const failed = lines.filter((line) => line.msg === 'article failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.err).toMatchObject({ type: 'FetchError', code: 'FETCH_HTTP_STATUS', status: 404 });
    expect(run.stderr).not.toMatch(/"stack"|\\n\s+at /);
  }, 60_000);

  it('inspect prints every field with the rule behind it', async () => {
    const run = await cli(['inspect', `${portal.url}/chi-tiet-tin/-/view-article/1/1234/1705668480000`, '--config', configFile]);
    expect(run.code).toBe(0);
    const fields = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(fields.title).toBe('Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024');
    expect(fields.publishedAt).toBe('2024-01-19T12:48:00.000Z');
    expect(fields.author).toBe('Tiến Nhất');
    expect(fields.rules).toHaveProperty('publishedAt');
  });

  it('tag --explain shows the score per category and the matched terms', async () => {
    const run = await cli(['tag', '--explain', 'tests/fixtures/pages/liferay/seed.html', '--config', configFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/chinh-tri/);
    expect(run.stdout).toMatch(/xây dựng Đảng/i);
  });

  it.each([
    [['crawl', '--config', 'no-such-file.yaml'], /cannot read config file .*no-such-file\.yaml/],
    [['crawl', '--bogus'], /unknown option '--bogus'/],
    [['crawl', '--source', 'nope', '--config', 'config/default.yaml'], /unknown source "nope"/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    ['an unknown key', { ...{ server: { port: 8080, colour: 'blue' } } }, /server\.colour: unknown key|server: colour/],
    ['a wrong type', { feed: { maxItems: 'many' } }, /feed\.maxItems/],
    ['an invalid cron expression', { sources: [{ schedule: 'every minute' }] }, /sources\.0\.schedule: must be a valid cron/],
  ])('rejects a config with %s naming the key (exit 2)', async (_label, patch, message) => {
    const base = {
      server: { port: 8080 },
      feed: { title: 't' },
      sources: [{ id: 'a', name: 'A', baseUrl: 'https://example.org', sections: [{ id: 's', name: 'S', url: '/' }] }],
    };
    const merged = { ...base, ...patch } as Record<string, unknown>;
    if ('sources' in patch) merged.sources = [{ ...base.sources[0], ...(patch.sources as object[])[0] }];
    if ('server' in patch) merged.server = patch.server;
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(merged));
    const run = await cli(['crawl', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.each([['--help'], ['crawl', '--help'], ['serve', '--help'], ['inspect', '--help']])('%s prints usage', async (...args) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: portalfeed/);
  });
});
