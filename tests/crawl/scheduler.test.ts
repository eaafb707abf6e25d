import { getTasks } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import type { Crawler } from '../../src/crawl/crawler.js';
import { startScheduler } from '../../src/crawl/scheduler.js';
import { CrawlStatusBoard } from '../../src/crawl/status.js';
import { emptySummary } from '../../src/crawl/summary.js';

function sources(schedule: string) {
  return parseConfig(
    {
      sources: [
        { id: 'a', name: 'A', baseUrl: 'https://a.example', schedule, sections: [{ id: 's', name: 'S', url: '/' }] },
        { id: 'off', name: 'Off', baseUrl: 'https://b.example', schedule, enabled: false, sections: [{ id: 's', name: 'S', url: '/' }] },
      ],
    },
    { file: '/tmp/x.yaml', env: {} },
  ).sources;
}

describe('scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each enabled source at its cron ticks (Asia/Ho_Chi_Minh), passing the tick time', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:30Z') });
    const configured = sources('*/15 * * * *');
    const run = vi.fn(async (id: string) => ({ ...emptySummary(id) }));
    const crawler = { run, isRunning: () => false, status: new CrawlStatusBoard(configured) } as unknown as Crawler;
    const scheduler = startScheduler(crawler, configured, silentLogger());
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith('a', { tick: new Date('2026-01-01T00:15:00Z') });
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(crawler.status.snapshot().map((s) => s.id)).toEqual(['a', 'off']);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('follows the local day: "0 7 * * *" fires at 07:00 in Vietnam, 00:00 UTC', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T23:30:00Z') });
    const configured = sources('0 7 * * *');
    const run = vi.fn(async (id: string) => ({ ...emptySummary(id) }));
    const crawler = { run, isRunning: () => false, status: new CrawlStatusBoard(configured) } as unknown as Crawler;
    const scheduler = startScheduler(crawler, configured, silentLogger());
    await vi.advanceTimersByTimeAsync(31 * 60_000);
    expect(run).toHaveBeenCalledWith('a', { tick: new Date('2026-01-02T00:00:00Z') });
    await scheduler.stop();
  });

  it('runs the sources of one schedule from one task, a tick skipping a source still running', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:30Z') });
    const configured = parseConfig(
      {
        sources: ['a', 'b', 'c'].map((id) => ({
          id,
          name: id,
          baseUrl: `https://${id}.example`,
          schedule: id === 'c' ? '0 * * * *' : '*/15 * * * *',
          sections: [{ id: 's', name: 'S', url: '/' }],
        })),
      },
      { file: '/tmp/x.yaml', env: {} },
    ).sources;
    const running = new Set<string>(['b']);
    const run = vi.fn(async (id: string) => ({ ...emptySummary(id) }));
    const crawler = { run, isRunning: (id: string) => running.has(id), status: new CrawlStatusBoard(configured) } as unknown as Crawler;
    const before = getTasks().size;
    const scheduler = startScheduler(crawler, configured, silentLogger());
    expect(getTasks().size - before).toBe(2);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(run.mock.calls).toEqual([['a', { tick: new Date('2026-01-01T00:15:00Z') }]]);
    running.clear();
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(run.mock.calls.slice(1).map(([id]) => id)).toEqual(['a', 'b']);
    await scheduler.stop();
  });
});
