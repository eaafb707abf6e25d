import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT, parseTestConfig, rawTestConfig, testConfig } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';
import { dropPrefix, testRedis } from '../helpers/redis.js';

function articleRequests(portal: ReplayPortal): number {
  return portal.requests.filter((r) => r.path !== '/robots.txt' && !r.path.startsWith('/tin-tuc?') && r.path !== '/tin-tuc').length;
}

describe('replicas sharing one Redis', () => {
  let portal: ReplayPortal;
  let replicas: App[] = [];
  let prefix: string;

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const config = testConfig(portal.url, 'redis');
    prefix = config.store.keyPrefix;
    replicas = await Promise.all([createApp(config, silentLogger()), createApp(config, silentLogger())]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((app) => app.close()));
    await portal?.close();
    await dropPrefix(prefix);
  });

  it('exactly one replica crawls a source per tick, and the items are one set', async () => {
    const tick = new Date('2026-01-01T00:15:00Z');
    const summaries = await Promise.all(replicas.map((app) => app.crawler.run('quangtri', { tick })));
    const ran = summaries.filter((s) => s.outcome !== 'skipped');
    expect(ran).toHaveLength(1);
    expect(summaries.filter((s) => s.outcome === 'skipped')[0]!.reason).toMatch(/another replica/);
    expect(ran[0]!.new).toBe(4);
    // The same tick seen late by the other replica is still skipped.
    const late = await replicas[1]!.crawler.run('quangtri', { tick });
    expect(late.outcome).toBe('skipped');
    for (const app of replicas) expect((await app.store.stats()).items).toBe(4);
  });

  it('a running crawl holds the lease: a concurrent run on another replica is skipped', async () => {
    portal.setFault('/tin-tuc', { kind: 'slow', delayMs: 300 });
    const [a, b] = await Promise.all([
      replicas[0]!.crawler.run('quangtri', { refresh: true }),
      new Promise((r) => setTimeout(r, 100)).then(() => replicas[1]!.crawler.run('quangtri', { refresh: true })),
    ]);
    portal.setFault('/tin-tuc', null);
    expect(a.outcome).not.toBe('skipped');
    expect(b.outcome).toBe('skipped');
    expect(b.reason).toMatch(/another replica is crawling/);
  });
});

describe('two sources racing on the same articles into one Redis', () => {
  it('stores one item per article, with both sources on it', async () => {
    const portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'redis');
    const config = parseTestConfig({ ...raw, sources: [raw.sources[0], { ...raw.sources[0], id: 'quangtri-mirror', name: 'Mirror' }] });
    const base = config;
    const apps = await Promise.all([createApp(config, silentLogger()), createApp(config, silentLogger())]);
    try {
      await Promise.all([apps[0]!.crawler.run('quangtri'), apps[1]!.crawler.run('quangtri-mirror')]);
      const items = await apps[0]!.store.latest({ limit: 100 });
      expect(items).toHaveLength(4);
      expect(new Set(items.map((i) => i.guid)).size).toBe(4);
      const both = items.filter((i) => i.sourceIds.includes('quangtri') && i.sourceIds.includes('quangtri-mirror'));
      expect(both).toHaveLength(4);
      expect(articleRequests(portal)).toBeLessThanOrEqual(10);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await portal.close();
      await dropPrefix(base.store.keyPrefix);
    }
  });
});

describe('a second source listing articles another source stored first', () => {
  it.each(['embedded', 'redis'] as const)('adds itself to those items on the %s store, fetching each article once more', async (kind) => {
    const portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, kind);
    const config = parseTestConfig({ ...raw, sources: [raw.sources[0], { ...raw.sources[0], id: 'quangtri-mirror', name: 'Mirror' }] });
    const app = await createApp(config, silentLogger());
    try {
      await app.crawler.run('quangtri');
      const first = articleRequests(portal);
      await app.crawler.run('quangtri-mirror');
      const items = await app.store.latest({ limit: 100 });
      expect(items).toHaveLength(4);
      expect(items.every((i) => i.sourceIds.includes('quangtri') && i.sourceIds.includes('quangtri-mirror'))).toBe(true);
      expect(articleRequests(portal)).toBe(2 * first);
      await app.crawler.run('quangtri-mirror', { refresh: false });
      expect(articleRequests(portal)).toBe(2 * first);
    } finally {
      await app.close();
      await portal.close();
      if (kind === 'redis') await dropPrefix(config.store.keyPrefix);
    }
  });
});

describe('two `portalfeed serve` processes sharing one Redis', () => {
  it('crawl the same replay portal at start and end with one set of items', async () => {
    const portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'redis');
    const prefix = (raw.store as { keyPrefix: string }).keyPrefix;
    const dir = mkdtempSync(join(tmpdir(), 'portalfeed-replicas-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify({ ...raw, tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') } }));
    const children = [0, 1].map(() =>
      spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve', '--config', file, '--port', '0'], {
        cwd: ROOT,
        env: childEnv({ LOG_LEVEL: 'info', NODE_ENV: 'production' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const logs = children.map(() => '');
    children.forEach((child, i) => child.stdout.on('data', (d: Buffer) => (logs[i] += d.toString())));
    try {
      const deadline = Date.now() + 30_000;
      const done = () => logs.every((log) => /"msg":"(quangtri: (ok|partial)|crawl skipped)/.test(log));
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(
        done(),
        logs
          .map((log) =>
            log
              .split('\n')
              .map((l) => l.slice(0, 200))
              .join('\n'),
          )
          .join('\n----\n'),
      ).toBe(true);
      const store = testRedis();
      try {
        expect(await store.zcard(`${prefix}z:all`)).toBe(4);
      } finally {
        store.disconnect();
      }
      const crawled = logs.filter((log) => /"msg":"quangtri: (ok|partial)/.test(log));
      expect(crawled.length).toBeGreaterThanOrEqual(1);
      expect(portal.count('/chi-tiet-tin/')).toBe(1);
    } finally {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)))));
      await portal.close();
      await dropPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
