import type { ErrorKind } from '../core/errors.js';
import type { UpsertStatus } from '../core/types.js';

export type CrawlOutcome = 'ok' | 'partial' | 'failed' | 'skipped';

/** The counts one crawl of one source produces; printed as one line and logged as one record. */
export interface CrawlSummary {
  source: string;
  outcome: CrawlOutcome;
  /** Why a run was skipped or failed. */
  reason: string | null;
  listingPages: number;
  listingNotModified: number;
  articlesFound: number;
  articlesFetched: number;
  new: number;
  duplicate: number;
  merged: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Pages fetched that were no article (listing, tag, author, search, site page, error page served as 200). */
  notArticles: number;
  undated: number;
  /** Stored items fetched again to catch edits and withdrawals. */
  rechecked: number;
  /** Items withdrawn (410, or 404 twice in a row) and items whose page came back. */
  withdrawn: number;
  restored: number;
  errors: Partial<Record<ErrorKind, number>>;
  requests: number;
  bytes: number;
  durationMs: number;
}

export function emptySummary(source: string): CrawlSummary {
  return {
    source,
    outcome: 'ok',
    reason: null,
    listingPages: 0,
    listingNotModified: 0,
    articlesFound: 0,
    articlesFetched: 0,
    new: 0,
    duplicate: 0,
    merged: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    notArticles: 0,
    undated: 0,
    rechecked: 0,
    withdrawn: 0,
    restored: 0,
    errors: {},
    requests: 0,
    bytes: 0,
    durationMs: 0,
  };
}

export function countError(summary: CrawlSummary, kind: ErrorKind): void {
  summary.errors[kind] = (summary.errors[kind] ?? 0) + 1;
}

export function countUpsert(summary: CrawlSummary, status: UpsertStatus): void {
  summary[status] += 1;
}

/** `quangtri: ok, 2 listing pages (0 not modified), 6 articles fetched, 5 new, 1 duplicate, 0 failed in 1.2 s` */
export function formatSummary(summary: CrawlSummary): string {
  if (summary.outcome === 'skipped') return `${summary.source}: skipped (${summary.reason ?? 'not due'})`;
  const errors = Object.entries(summary.errors)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const parts = [
    `${summary.listingPages} listing pages (${summary.listingNotModified} not modified)`,
    `${summary.articlesFetched} articles fetched`,
    `${summary.new} new`,
    `${summary.duplicate + summary.merged} duplicate`,
    `${summary.updated} updated`,
    `${summary.failed} failed`,
  ];
  if (summary.undated) parts.push(`${summary.undated} without date`);
  if (summary.rechecked) parts.push(`${summary.rechecked} re-checked`);
  if (summary.withdrawn) parts.push(`${summary.withdrawn} withdrawn`);
  if (summary.restored) parts.push(`${summary.restored} back`);
  if (summary.notArticles) parts.push(`${summary.notArticles} not articles`);
  const tail = errors ? ` [errors: ${errors}]` : '';
  const why = summary.reason && summary.outcome !== 'ok' ? ` (${summary.reason})` : '';
  return `${summary.source}: ${summary.outcome}${why}, ${parts.join(', ')} in ${(summary.durationMs / 1000).toFixed(1)} s${tail}`;
}
