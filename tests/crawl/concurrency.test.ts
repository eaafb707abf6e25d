import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Crawler } from '../../src/crawl/crawler.js';
import { startScheduler } from '../../src/crawl/scheduler.js';
import { CrawlStatusBoard } from '../../src/crawl/status.js';
import { emptySummary } from '../../src/crawl/summary.js';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { RunQueue } from '../../src/crawl/run-queue.js';
import { loadReplaySite, startReplayPortal } from '../../src/replay/index.js';
import { join } from 'node:path';
import { ROOT, parseTestConfig, rawTestConfig } from '../helpers/app.js';

describe('RunQueue: a global cap granted in arrival order', () => {
  it('never grants more than the cap, grants first come first served, and reports the queue', async () => {
    let clock = 0;
    const queue = new RunQueue(
      2,
      () => undefined,
      () => clock,
    );
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const granted = ids.map((id) => queue.acquire(id).then((release) => (order.push(id), releases.set(id, release))));
    await Promise.resolve();
    await Promise.all(granted.slice(0, 2));
    clock = 1500;
    expect(queue.snapshot()).toEqual({ concurrency: 2, running: 2, queued: 3, oldestWaitMs: 1500, queuedSources: ['c', 'd', 'e'] });
    releases.get('b')!();
    releases.get('b')!(); // a second release changes nothing
    await granted[2];
    expect(queue.snapshot()).toMatchObject({ running: 2, queued: 2 });
    releases.get('a')!();
    releases.get('c')!();
    await Promise.all(granted);
    expect(order).toEqual(ids);
    releases.get('d')!();
    releases.get('e')!();
    expect(queue.snapshot()).toMatchObject({ running: 0, queued: 0, oldestWaitMs: 0 });
  });

  it('an aborted or drained waiter leaves the line without taking a slot', async () => {
    const queue = new RunQueue(1);
    const first = await queue.acquire('a');
    const abort = new AbortController();
    const aborted = queue.acquire('b', abort.signal);
    const drained = queue.acquire('c');
    abort.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(queue.snapshot().queuedSources).toEqual(['c']);
    queue.drain(new Error('shutting down'));
    await expect(drained).rejects.toThrow('shutting down');
    first();
    expect(queue.snapshot()).toMatchObject({ running: 0, queued: 0 });
  });
});

describe('many sources in one process', () => {
  it('crawls them under crawl.concurrency, each once, queued runs shown on /healthz data and metrics', async () => {
    // An RSS source costs one request and little parsing: the test is about the queue, not extraction.
    const portal = await startReplayPortal({ ...loadReplaySite(join(ROOT, 'tests/fixtures/rss-site')), host: '127.0.0.1', port: 0 });
    portal.setFault('/feed/', { kind: 'slow', delayMs: 150 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const sources = Array.from({ length: 12 }, (_, i) => ({
      id: `nguon-${i}`,
      name: `Nguồn ${i}`,
      type: 'rss',
      baseUrl: portal.url,
      feedUrl: '/feed/',
      http: { retries: 0, delayMs: 0 },
    }));
    const config = parseTestConfig({ ...raw, crawl: { concurrency: 3 }, sources });
    const app = await createApp(config, silentLogger());
    try {
      let maxRunning = 0;
      let maxQueued = 0;
      const sampler = setInterval(() => {
        const q = app.crawler.queueSnapshot();
        maxRunning = Math.max(maxRunning, q.running);
        maxQueued = Math.max(maxQueued, q.queued);
      }, 5);
      const all = app.crawler.runAll();
      await new Promise((r) => setTimeout(r, 20));
      const again = await app.crawler.run('nguon-11');
      expect([again.outcome, again.reason]).toEqual(['skipped', 'previous run still running']);
      const metrics = await app.metrics.registry.getSingleMetricAsString('portalfeed_crawl_queue');
      expect(metrics).toMatch(/portalfeed_crawl_queue\{state="queued"\} ([1-9]\d*)/);
      const summaries = await all;
      clearInterval(sampler);
      expect(summaries.map((s) => s.outcome).filter((o) => o === 'skipped')).toEqual([]);
      expect(maxRunning).toBe(3);
      expect(maxQueued).toBeGreaterThanOrEqual(8);
      expect(app.crawler.queueSnapshot()).toMatchObject({ running: 0, queued: 0 });
      expect(summaries.every((s) => s.requests >= 1)).toBe(true);
    } finally {
      await app.close();
      await portal.close();
    }
  });
});

describe('the after-run hook runs outside the crawl slot', () => {
  it('counts the run and frees its source and slot before its feeds render; run() resolves after the hook', async () => {
    const portal = await startReplayPortal({ ...loadReplaySite(join(ROOT, 'tests/fixtures/rss-site')), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const sources = [{ id: 'nguon', name: 'Nguồn', type: 'rss', baseUrl: portal.url, feedUrl: '/feed/', http: { retries: 0, delayMs: 0 } }];
    const app = await createApp(parseTestConfig({ ...raw, crawl: { concurrency: 1 }, sources }), silentLogger());
    const runs = async () =>
      [
        ...(await app.metrics.registry.getSingleMetricAsString('portalfeed_crawl_runs_total')).matchAll(
          /^portalfeed_crawl_runs_total\{[^}]*\} (\d+)/gm,
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    let release = () => {};
    try {
      const rendered = new Promise<boolean>((resolve) => (release = () => resolve(true)));
      const publish = vi.spyOn(app.publisher, 'publish').mockReturnValueOnce(rendered);
      let done = false;
      const first = app.crawler.run('nguon').then((summary) => ((done = true), summary));
      await vi.waitFor(() => expect(publish).toHaveBeenCalled(), { timeout: 15_000 });
      expect(await runs()).toBe(1);
      expect(app.crawler.status.snapshot()[0]?.running).toBe(false);
      expect(app.crawler.isRunning('nguon')).toBe(false);
      expect(app.crawler.queueSnapshot()).toMatchObject({ running: 0 });
      // the one slot is free while the render waits: the next run of the source is not skipped
      const again = await app.crawler.run('nguon');
      expect(again.outcome).toBe('ok');
      expect(done).toBe(false);
      release();
      expect((await first).outcome).toBe('ok');
    } finally {
      release();
      await app.close();
      await portal.close();
    }
  });
});

describe('schedules with a seconds field', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('"*/20 * * * * *" fires every 20 seconds, passing the tick time', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:05Z') });
    const configured = parseConfig(
      { sources: [{ id: 'a', name: 'A', baseUrl: 'https://a.example', schedule: '*/20 * * * * *', sections: [{ id: 's', name: 'S', url: '/' }] }] },
      { file: '/tmp/x.yaml', env: {} },
    ).sources;
    const run = vi.fn(async (id: string) => ({ ...emptySummary(id) }));
    const crawler = { run, isRunning: () => false, status: new CrawlStatusBoard(configured) } as unknown as Crawler;
    const scheduler = startScheduler(crawler, configured, silentLogger());
    await vi.advanceTimersByTimeAsync(16_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith('a', { tick: new Date('2026-01-01T00:00:20Z') });
    await vi.advanceTimersByTimeAsync(40_000);
    expect(run).toHaveBeenCalledTimes(3);
    await scheduler.stop();
  });
});
