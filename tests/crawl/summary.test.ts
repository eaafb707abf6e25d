import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/commands/progress.js';
import { silentLogger } from '../../src/core/log.js';
import { cacheMaxAgeSeconds, schedulePeriodMs } from '../../src/crawl/scheduler.js';
import { CrawlStatusBoard } from '../../src/crawl/status.js';
import { emptySummary, formatSummary, type CrawlSummary } from '../../src/crawl/summary.js';

describe('crawl summary line', () => {
  it.each<[Partial<CrawlSummary>, RegExp]>([
    [
      { listingPages: 2, articlesFetched: 4, new: 4, durationMs: 1234 },
      /^quangtri: ok, 2 listing pages \(0 not modified\), 4 articles fetched, 4 new, 0 duplicate, 0 updated, 0 failed in 1\.2 s$/,
    ],
    [
      { outcome: 'partial', reason: '1 of 7 articles failed', failed: 1, errors: { timeout: 1 } },
      /^quangtri: partial \(1 of 7 articles failed\), .*1 failed in 0\.0 s \[errors: timeout 1\]$/,
    ],
    [{ outcome: 'failed', reason: 'listing x: 500' }, /^quangtri: failed \(listing x: 500\)/],
    [{ outcome: 'skipped', reason: 'another replica took this tick' }, /^quangtri: skipped \(another replica took this tick\)$/],
    [{ duplicate: 2, merged: 1, undated: 1 }, /3 duplicate, .*1 without date/],
  ])('formats %j', (patch, line) => {
    expect(formatSummary({ ...emptySummary('quangtri'), ...patch })).toMatch(line);
  });
});

describe('schedules', () => {
  it.each([
    ['*/15 * * * *', 15 * 60_000, 450],
    ['0 * * * *', 60 * 60_000, 1800],
    ['* * * * *', 60_000, 60],
  ])('%s has a period of %i ms and feeds cache for %i s', (expression, period, maxAge) => {
    expect(schedulePeriodMs(expression)).toBe(period);
    expect(cacheMaxAgeSeconds([period])).toBe(maxAge);
  });

  it('marks a source overdue after two periods without success, and not before', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const board = new CrawlStatusBoard([{ id: 'a', name: 'A', schedule: '*/15 * * * *' }], () => now);
    board.setPeriod('a', 15 * 60_000);
    now = new Date('2026-01-01T00:20:00Z');
    expect(board.snapshot()[0]!.overdue).toBe(false);
    now = new Date('2026-01-01T00:32:00Z');
    expect(board.snapshot()[0]!.overdue).toBe(true);
    board.started('a');
    board.finished({ ...emptySummary('a'), outcome: 'ok' });
    expect(board.snapshot()[0]).toMatchObject({ overdue: false, running: false, lastSuccessAt: '2026-01-01T00:32:00.000Z' });
    board.finished({ ...emptySummary('a'), outcome: 'failed', reason: 'listing down' });
    expect(board.snapshot()[0]).toMatchObject({ lastError: 'listing down', lastSuccessAt: '2026-01-01T00:32:00.000Z' });
  });
});

describe('backfill progress', () => {
  it('draws a bar with counts and an ETA on a TTY', () => {
    const out = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    (out as { isTTY?: boolean }).isTTY = true;
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const progress = progressReporter(4, silentLogger(), out);
    const summary = { ...emptySummary('a'), new: 3 };
    progress.onProgress({ source: 'a', section: 's', page: 1, pages: 4, summary });
    progress.onProgress({ source: 'a', section: 's', page: 2, pages: 4, summary });
    progress.end();
    expect(text).toMatch(/\[#{15}\.{15}\] 2\/4 pages · 3 new, 0 duplicate, 0 failed · ETA \d+s/);
  });
});
