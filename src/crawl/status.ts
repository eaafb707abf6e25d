import type { SourceHealth } from '../core/types.js';
import type { CrawlSummary } from './summary.js';

interface SourceEntry extends SourceHealth {
  periodMs: number | null;
}

/** Per-source crawl state for /readyz and /healthz; updated by the crawler, read by the server. */
export class CrawlStatusBoard {
  private readonly entries = new Map<string, SourceEntry>();
  private readonly startedAt: number;

  constructor(
    sources: Array<{ id: string; name: string; schedule: string }>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.startedAt = now().getTime();
    for (const source of sources) {
      this.entries.set(source.id, {
        id: source.id,
        name: source.name,
        schedule: source.schedule,
        running: false,
        lastRunAt: null,
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        overdue: false,
        items: 0,
        periodMs: null,
      });
    }
  }

  setPeriod(id: string, periodMs: number | null): void {
    const entry = this.entries.get(id);
    if (entry) entry.periodMs = periodMs;
  }

  setItems(counts: Record<string, number>): void {
    for (const entry of this.entries.values()) entry.items = counts[entry.id] ?? 0;
  }

  started(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.running = true;
    entry.lastRunAt = this.now().toISOString();
  }

  finished(summary: CrawlSummary): void {
    const entry = this.entries.get(summary.source);
    if (!entry) return;
    entry.running = false;
    const at = this.now().toISOString();
    if (summary.outcome === 'ok' || summary.outcome === 'partial') entry.lastSuccessAt = at;
    if (summary.outcome === 'failed' || summary.outcome === 'partial') {
      entry.lastErrorAt = at;
      entry.lastError = summary.reason ?? `${summary.failed} articles failed`;
    }
  }

  /** Overdue: no success within two schedule periods plus a minute (counted from start when there was none). */
  snapshot(): SourceHealth[] {
    const now = this.now().getTime();
    return [...this.entries.values()].map(({ periodMs, ...health }) => {
      const since = health.lastSuccessAt ? Date.parse(health.lastSuccessAt) : this.startedAt;
      const overdue = periodMs !== null && now - since > 2 * periodMs + 60_000;
      return { ...health, overdue };
    });
  }
}
