import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the service exports, made on a registry passed in (never the global one). */
export interface Metrics {
  registry: Registry;
  crawlRuns: Counter<'source' | 'outcome'>;
  crawlDuration: Histogram<'source'>;
  crawlErrors: Counter<'source' | 'kind'>;
  fetchRequests: Counter<'source' | 'status'>;
  items: Counter<'source' | 'status'>;
  itemsStored: Gauge<'source'>;
  itemsUndated: Counter<'source'>;
  /** Read-only for callers: filled from `requestTally` when scraped. */
  feedRequests: Counter<'route' | 'status'>;
  requestTally: RequestTally;
  storeOperation: Histogram<'store' | 'op'>;
  lastCrawlSuccess: Gauge<'source'>;
  /** Crawl runs holding a slot (`running`) and waiting for one (`queued`). */
  crawlQueue: Gauge<'state'>;
}

/**
 * Served requests counted as plain numbers per route and status, handed to prom-client only when
 * scraped: counting one request (the hot path of a 304) then costs no label hashing or validation.
 */
export class RequestTally {
  private readonly byRoute = new Map<string, Map<number, number>>();

  count(route: string, status: number): void {
    let byStatus = this.byRoute.get(route);
    if (!byStatus) this.byRoute.set(route, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  *entries(): Iterable<{ route: string; status: number; count: number }> {
    for (const [route, byStatus] of this.byRoute) for (const [status, count] of byStatus) yield { route, status, count };
  }
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'portalfeed_' });
  const registers = [registry];
  const requestTally = new RequestTally();
  return {
    requestTally,
    registry,
    crawlRuns: new Counter({
      name: 'portalfeed_crawl_runs_total',
      help: 'Crawl runs by source and outcome (ok, partial, failed, skipped)',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    crawlDuration: new Histogram({
      name: 'portalfeed_crawl_duration_seconds',
      help: 'Duration of crawl runs',
      labelNames: ['source'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    crawlErrors: new Counter({
      name: 'portalfeed_crawl_errors_total',
      help: 'Crawl errors by source and kind (timeout, dns, tls, http_status, too_large, parse, ...)',
      labelNames: ['source', 'kind'],
      registers,
    }),
    fetchRequests: new Counter({
      name: 'portalfeed_fetch_requests_total',
      help: 'HTTP requests made to portals, by source and response status (or error kind)',
      labelNames: ['source', 'status'],
      registers,
    }),
    items: new Counter({
      name: 'portalfeed_items_total',
      help: 'Articles seen by crawls, by store outcome (new, duplicate, merged, updated, unchanged)',
      labelNames: ['source', 'status'],
      registers,
    }),
    itemsStored: new Gauge({
      name: 'portalfeed_items_stored',
      help: 'Items currently stored, by source',
      labelNames: ['source'],
      registers,
    }),
    itemsUndated: new Counter({
      name: 'portalfeed_items_without_date_total',
      help: 'New items whose page had no usable date (published at their first-seen time)',
      labelNames: ['source'],
      registers,
    }),
    feedRequests: new Counter({
      name: 'portalfeed_http_requests_total',
      help: 'HTTP requests served, by route and status',
      labelNames: ['route', 'status'],
      registers,
      collect() {
        this.reset();
        for (const { route, status, count } of requestTally.entries()) this.inc({ route, status: String(status) }, count);
      },
    }),
    storeOperation: new Histogram({
      name: 'portalfeed_store_operation_seconds',
      help: 'Latency of store operations',
      labelNames: ['store', 'op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    lastCrawlSuccess: new Gauge({
      name: 'portalfeed_last_crawl_success_timestamp_seconds',
      help: 'Unix time of the last successful crawl, by source',
      labelNames: ['source'],
      registers,
    }),
    crawlQueue: new Gauge({
      name: 'portalfeed_crawl_queue',
      help: 'Crawl runs holding one of the crawl.concurrency slots (running) and waiting for one (queued)',
      labelNames: ['state'],
      registers,
    }),
  };
}
