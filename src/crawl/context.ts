import type { SourceConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { ItemStore } from '../core/types.js';
import type { HttpClient } from '../fetch/index.js';
import type { Tagger } from '../tag/index.js';
import type { PageParser } from './parser.js';
import type { CrawlSummary } from './summary.js';

/** What one crawl run works with; everything is passed in. */
export interface CrawlDeps {
  store: ItemStore;
  http: HttpClient;
  tagger: Tagger;
  /** Extraction, off the serving event loop when worker threads are on (crawl.parseWorkers). */
  parser: PageParser;
  logger: Logger;
  now: () => Date;
  /** Items published in the last this many days are re-checked each run (crawl.refreshDays). */
  refreshDays?: number;
}

/** One run of one source: every crawl step takes this and fills its summary. */
export interface CrawlContext extends CrawlDeps {
  source: SourceConfig;
  options: CrawlRunOptions;
  summary: CrawlSummary;
  /** Article identities tried in this run: a link repeated on several listing pages is fetched once. */
  attempted: Set<string>;
}

export function crawlContext(source: SourceConfig, deps: CrawlDeps, options: CrawlRunOptions, summary: CrawlSummary): CrawlContext {
  return { ...deps, source, options, summary, attempted: new Set() };
}

export interface CrawlProgress {
  source: string;
  section: string;
  page: number;
  pages: number;
  summary: CrawlSummary;
}

export interface CrawlRunOptions {
  /** Refetch articles already stored, to pick up corrections: every stored item of the source is re-checked. */
  refresh?: boolean;
  /** Walk this many listing pages per section, ignoring the stop-at-no-new rule. */
  backfill?: number;
  /** Discover a source given only its address again now, instead of reusing a discovery under a day old. */
  rediscover?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: CrawlProgress) => void;
}
