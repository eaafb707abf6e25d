import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, parseTestConfig, rawTestConfig, testConfig } from '../helpers/app.js';
import { dropPrefix } from '../helpers/redis.js';

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
