import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/core/errors.js';

const SOURCE = { id: 'a', name: 'A', baseUrl: 'https://a.example', sections: [{ id: 's', name: 'S', url: '/' }] };
const parse = (raw: unknown, env: NodeJS.ProcessEnv = {}) => parseConfig(raw, { file: '/etc/portalfeed/config.yaml', env, cwd: '/srv' });

describe('config', () => {
  it('accepts the shape of the issue as is, with defaults filled in', () => {
    const config = loadConfig({ file: 'config/default.yaml', env: {} });
    expect(config.sources[0]).toMatchObject({ id: 'quangtri', type: 'portal', maxPages: 3, http: { delayMs: 500, insecureTLS: false } });
    expect(config.store.redisUrl).toBeNull();
    expect(config.taxonomyPath).toMatch(/config\/categories\.yaml$/);
  });

  it.each([
    ['PORT', '9090', (c: ReturnType<typeof parse>) => c.server.port, 9090],
    ['PUBLIC_URL', 'https://feeds.example.org', (c: ReturnType<typeof parse>) => c.server.publicUrl, 'https://feeds.example.org'],
    ['REDIS_URL', 'redis://cache:6379/2', (c: ReturnType<typeof parse>) => c.store.redisUrl, 'redis://cache:6379/2'],
    ['DATA_DIR', '/var/lib/portalfeed', (c: ReturnType<typeof parse>) => c.store.dataDir, '/var/lib/portalfeed'],
    ['LOG_LEVEL', 'DEBUG', (c: ReturnType<typeof parse>) => c.log.level, 'debug'],
  ])('env %s overrides the file', (name, value, pick, expected) => {
    expect(pick(parse({ sources: [SOURCE] }, { [name]: value }))).toBe(expected);
  });

  it.each([
    ['PORT', 'abc', /server\.port \(from the environment variable PORT\): /],
    ['PUBLIC_URL', 'feeds.example.org', /server\.publicUrl \(from the environment variable PUBLIC_URL\): /],
    ['LOG_LEVEL', 'loud', /log\.level \(from the environment variable LOG_LEVEL\): /],
    ['REDIS_URL', 'cache:6379', /store\.redisUrl \(from the environment variable REDIS_URL\): /],
  ])('a bad %s from the environment is reported naming the variable, not its value', (name, value, message) => {
    expect(() => parse({ sources: [SOURCE] }, { [name]: value })).toThrow(message);
    expect(() => parse({ sources: [SOURCE] }, { [name]: value })).not.toThrow(new RegExp(`"${value}"`));
  });

  it('a portal source may give only id, name and baseUrl (discovery fills in the rest)', () => {
    const config = parse({ sources: [{ id: 'a', name: 'A', baseUrl: 'https://a.example' }] });
    expect(config.sources[0]).toMatchObject({ type: 'portal', sections: [] });
    expect(config.sources[0]!.linkPattern).toBeUndefined();
    const withSitemap = parse({ sources: [{ id: 'a', name: 'A', baseUrl: 'https://a.example', sitemap: '/sitemap.xml', feeds: ['/feed/'] }] });
    expect(withSitemap.sources[0]).toMatchObject({ sitemap: '/sitemap.xml', feeds: ['/feed/'] });
  });

  it('a bad key from the file is not blamed on the environment', () => {
    expect(() => parse({ server: { port: 'abc' }, sources: [SOURCE] }, {})).toThrow(/server\.port: /);
  });

  it('resolves dataDir against the working directory and the taxonomy against the config folder', () => {
    const config = parse({ store: { dataDir: './data' }, tagging: { taxonomyFile: 'categories.yaml' }, sources: [SOURCE] });
    expect(config.store.dataDir).toBe('/srv/data');
    expect(config.taxonomyPath).toBe('/etc/portalfeed/categories.yaml');
  });

  it('uses the taxonomy bundled in the package when the config has no tagging key, whatever the working directory', () => {
    const bundled = fileURLToPath(new URL('../../config/categories.yaml', import.meta.url));
    expect(parse({ sources: [SOURCE] }).taxonomyPath).toBe(bundled);
    expect(parse({ tagging: {}, sources: [SOURCE] }).taxonomyPath).toBe(bundled);
    expect(existsSync(bundled)).toBe(true);
  });

  it('fills an absent section with the same defaults as an empty one (each default written once)', () => {
    const bare = parse({ sources: [SOURCE] });
    const empty = parse({ server: {}, store: {}, feed: {}, crawl: {}, tagging: {}, log: {}, sources: [{ ...SOURCE, http: {}, selectors: {} }] });
    expect(bare).toEqual(empty);
    expect(bare.sources[0]!.http).toMatchObject({ timeoutMs: 15_000, retries: 2, concurrency: 2, delayMs: 500, respectRobots: true });
    expect(bare.feed).toEqual({ title: 'portalfeed', description: '', language: 'vi', maxItems: 50, websubHub: null });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown key', { sources: [SOURCE], feed: { titel: 'x' } }, /feed\.titel: unknown key/],
    ['a wrong type', { sources: [{ ...SOURCE, maxPages: 'three' }] }, /sources\.0\.maxPages:/],
    ['an invalid cron expression', { sources: [{ ...SOURCE, schedule: '*/99 * * *' }] }, /sources\.0\.schedule: must be a valid cron/],
    ['an invalid regex', { sources: [{ ...SOURCE, linkPattern: '([' }] }, /sources\.0\.linkPattern: must be a valid regular expression/],
    ['a duplicate source id', { sources: [SOURCE, SOURCE] }, /sources\.1\.id: duplicate source id "a"/],
    [
      'a bad section link pattern',
      { sources: [{ ...SOURCE, sections: [{ id: 's', name: 'S', url: '/', linkPattern: '(' }] }] },
      /sources\.0\.sections\.0\.linkPattern: must be a valid regular expression/,
    ],
    ['an rss source without feedUrl', { sources: [{ ...SOURCE, type: 'rss' }] }, /sources\.0\.feedUrl: an rss source needs feedUrl/],
    ['a relative baseUrl', { sources: [{ ...SOURCE, baseUrl: 'www.quangtri.gov.vn' }] }, /sources\.0\.baseUrl: must be an absolute http\(s\) URL/],
    ['a bad redis URL', { store: { redisUrl: 'localhost:6379' }, sources: [SOURCE] }, /store\.redisUrl: must be a redis:\/\//],
    ['no sources', { sources: [] }, /sources: at least one source is needed/],
    [
      'a missing CA file',
      { sources: [{ ...SOURCE, http: { ca: 'missing-ca.pem' } }] },
      /sources\.0\.http\.ca: cannot read CA file \/etc\/portalfeed\/missing-ca\.pem/,
    ],
    ['a list at the top', [], /must hold a mapping/],
  ])('rejects %s, naming the key', (_label, raw, message) => {
    expect(() => parse(raw)).toThrow(ConfigError);
    expect(() => parse(raw)).toThrow(message);
  });

  it('names the file when it is not YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'sources: [\n  - id: a\n   name: broken');
    expect(() => loadConfig({ file: join(dir, 'bad.yaml') })).toThrow(/bad\.yaml is not valid YAML/);
  });
});
