import { setMaxListeners } from 'node:events';
import type { SourceConfig } from '../config/schema.js';
import { describeError, isStoreOutage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { ItemStore, Lease, LeaseHolder, LeaseLock } from '../core/types.js';
import type { HttpClient } from '../fetch/index.js';
import type { Tagger, Taxonomy } from '../tag/index.js';
import { crawlContext, type CrawlRunOptions } from './context.js';
import { createParser, type PageParser } from './parser.js';
import { RunQueue, type RunQueueSnapshot } from './run-queue.js';
import { CrawlStatusBoard } from './status.js';
import { emptySummary, formatSummary, type CrawlSummary } from './summary.js';

export interface CrawlerDeps {
  sources: SourceConfig[];
  store: ItemStore;
  lock: LeaseLock;
  tagger: Tagger;
  /** The table the tagger was built from: parse workers build their own tagger from it and tag there. */
  taxonomy?: Taxonomy;
  logger: Logger;
  metrics?: Metrics;
  userAgent: string;
  leaseMs: number;
  /** crawl.refreshDays */
  refreshDays?: number;
  /** Sources crawled at once (`crawl.concurrency`); the rest wait in arrival order. */
  concurrency?: number;
  /** Worker threads extracting pages (`crawl.parseWorkers`): 0 = this thread, null/absent = one per spare core. */
  parseWorkers?: number | null;
  createClient?: (source: SourceConfig) => HttpClient;
  now?: () => Date;
  /** After a run has been counted and freed its slot (feeds re-rendered, WebSub): run() resolves once it is done. */
  onRunFinished?: (summary: CrawlSummary) => void | Promise<void>;
}

export interface RunOptions extends CrawlRunOptions {
  /** The scheduled time of a cron tick: among replicas, only one crawls a given tick. */
  tick?: Date;
}

const TICK_CLAIM_MS = 10 * 60_000;
export const DEFAULT_CRAWL_CONCURRENCY = 16;

/** The URLs whose origins a source may be fetched from. */
export function sourceUrls(source: SourceConfig): string[] {
  const urls = [source.baseUrl, ...source.sections.map((section) => section.url)];
  if (source.feedUrl) urls.push(source.feedUrl);
  return urls.map((url) => new URL(url, source.baseUrl).href);
}

export function describeHolder(holder: LeaseHolder): string {
  return `pid ${holder.pid} on host ${holder.host} until ${new Date(holder.expiresAt).toISOString()}`;
}

/** Runs crawls of configured sources: one at a time per source, one replica per tick, abortable on shutdown. */
export class Crawler {
  readonly status: CrawlStatusBoard;
  private readonly clients = new Map<string, HttpClient>();
  private readonly running = new Map<string, { promise: Promise<CrawlSummary>; abort: AbortController }>();
  private closing = false;
  private readonly now: () => Date;
  private readonly queue: RunQueue;
  private parser: PageParser | null = null;
  /** After-run hooks still running: shutdown waits for them before the store closes. */
  private readonly hooks = new Set<Promise<void>>();

  constructor(private readonly deps: CrawlerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.queue = new RunQueue(deps.concurrency ?? DEFAULT_CRAWL_CONCURRENCY, (snapshot) => {
      deps.metrics?.crawlQueue.set({ state: 'running' }, snapshot.running);
      deps.metrics?.crawlQueue.set({ state: 'queued' }, snapshot.queued);
    });
    this.status = new CrawlStatusBoard(deps.sources, this.now);
    for (const source of deps.sources) {
      if (source.http.insecureTLS) {
        deps.logger.warn(
          { source: source.id },
          `TLS certificate checks are OFF for source ${source.id} (http.insecureTLS); prefer http.ca with the missing intermediate`,
        );
      }
    }
  }

  source(id: string): SourceConfig | undefined {
    return this.deps.sources.find((source) => source.id === id);
  }

  /** Running or waiting for a slot. */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  queueSnapshot(): RunQueueSnapshot {
    return this.queue.snapshot();
  }

  async runAll(options: RunOptions = {}): Promise<CrawlSummary[]> {
    const enabled = this.deps.sources.filter((source) => source.enabled);
    return Promise.all(enabled.map((source) => this.run(source.id, options)));
  }

  run(id: string, options: RunOptions = {}): Promise<CrawlSummary> {
    const source = this.source(id);
    if (!source) return Promise.reject(new Error(`unknown source "${id}"`));
    if (this.closing) return Promise.resolve(this.skipped(id, 'shutting down'));
    if (this.running.has(id)) return Promise.resolve(this.skipped(id, 'previous run still running'));
    const abort = new AbortController();
    // Every in-flight request of the run listens to this signal; a listing page holds dozens.
    setMaxListeners(0, abort.signal);
    if (options.signal) options.signal.addEventListener('abort', () => abort.abort(options.signal?.reason), { once: true });
    const promise = this.queued(source, { ...options, signal: abort.signal }).finally(() => this.running.delete(id));
    this.running.set(id, { promise, abort });
    return promise.then(async (summary) => {
      if (summary.outcome !== 'skipped') await this.afterRun(source, summary);
      return summary;
    });
  }

  /**
   * The after-run hook runs once the run is counted and its slot and source are free: a render of the feeds
   * (rate-limited by the publisher) no longer holds a crawl slot, and a crawl asked for meanwhile is not skipped.
   */
  private async afterRun(source: SourceConfig, summary: CrawlSummary): Promise<void> {
    if (!this.deps.onRunFinished) return;
    const hook = (async () => {
      try {
        await this.deps.onRunFinished?.(summary);
      } catch (err) {
        this.deps.logger.warn({ err, source: source.id }, 'after-crawl hook failed');
      }
    })();
    this.hooks.add(hook);
    try {
      await hook;
    } finally {
      this.hooks.delete(hook);
    }
  }

  /**
   * Waits for a slot under the global cap, then runs. The tick and the lease are claimed only once a slot is
   * free, so among replicas the one with room first takes a tick.
   */
  private async queued(source: SourceConfig, options: RunOptions): Promise<CrawlSummary> {
    let release: () => void;
    try {
      release = await this.queue.acquire(source.id, options.signal);
    } catch {
      return this.skipped(source.id, this.closing ? 'shutting down' : 'aborted while queued');
    }
    try {
      return await this.execute(source, options);
    } finally {
      release();
    }
  }

  /** Stops starting runs, waits for running ones up to graceMs, then aborts them and waits for them to settle. */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    this.queue.drain(new Error('shutting down'));
    const runs = [...this.running.values()];
    if (runs.length === 0) {
      await Promise.allSettled([...this.hooks]);
      return this.closeClients();
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const settled = Promise.allSettled(runs.map((run) => run.promise));
    if ((await Promise.race([settled, deadline])) === 'late') {
      this.deps.logger.warn({ graceMs }, 'crawl still running at the shutdown deadline; aborting it');
      for (const run of runs) run.abort.abort(new Error('shutdown'));
      await settled;
    }
    clearTimeout(timer);
    await Promise.allSettled([...this.hooks]);
    await this.closeClients();
  }

  private async closeClients(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
    await this.parser?.close();
    this.parser = null;
  }

  private skipped(id: string, reason: string): CrawlSummary {
    const summary = { ...emptySummary(id), outcome: 'skipped' as const, reason };
    this.deps.metrics?.crawlRuns.inc({ source: id, outcome: 'skipped' });
    this.deps.logger.info({ source: id, reason }, `crawl skipped: ${reason}`);
    return summary;
  }

  private async execute(source: SourceConfig, options: RunOptions): Promise<CrawlSummary> {
    let lease: Lease | null;
    try {
      if (options.tick && !(await this.claimTick(source.id, options.tick))) {
        return this.skipped(source.id, 'another replica took this tick');
      }
      lease = await this.deps.lock.acquire(`crawl:${source.id}`, this.deps.leaseMs);
    } catch (err) {
      // The store is down: nothing can be stored, so the run fails without fetching anything.
      const summary = { ...emptySummary(source.id), outcome: 'failed' as const, reason: `store: ${describeError(err)}` };
      summary.errors.store = 1;
      await this.finish(source, summary);
      return summary;
    }
    if (!lease) return this.skipped(source.id, `another replica is crawling this source${await this.holderOf(source.id)}`);
    const stopRenewing = this.keepRenewing(lease, source.id);
    const summary = emptySummary(source.id);
    const started = performance.now();
    this.status.started(source.id);
    try {
      await this.crawlOnce(source, options, summary);
    } catch (err) {
      summary.outcome = 'failed';
      summary.reason = err instanceof Error ? err.message : String(err);
      this.deps.logger.error({ err, source: source.id }, 'crawl failed');
    } finally {
      stopRenewing();
      await lease.release().catch((err: unknown) => this.deps.logger.warn({ err }, 'could not release crawl lease'));
    }
    summary.durationMs = Math.round(performance.now() - started);
    await this.finish(source, summary);
    return summary;
  }

  private async crawlOnce(source: SourceConfig, options: RunOptions, summary: CrawlSummary): Promise<void> {
    const http = await this.client(source);
    const before = http.stats();
    this.parser ??= createParser(this.deps.parseWorkers ?? null, this.deps.logger, {
      tagger: this.deps.tagger,
      taxonomy: this.deps.taxonomy ?? null,
    });
    const deps = {
      store: this.deps.store,
      http,
      tagger: this.deps.tagger,
      parser: this.parser,
      logger: this.deps.logger,
      now: this.now,
      refreshDays: this.deps.refreshDays,
    };
    const ctx = crawlContext(source, deps, options, summary);
    try {
      // The parsing stack (cheerio, parse5, sanitize-html, rss-parser) loads at the first crawl, not at start:
      // a replica that only serves feeds starts in a fraction of the time.
      if (source.type === 'rss') await (await import('./feed.js')).crawlFeedSource(ctx);
      else await (await import('./portal.js')).crawlPortalSource(ctx);
    } finally {
      const after = http.stats();
      summary.requests = after.requests - before.requests;
      summary.bytes = after.bytes - before.bytes;
    }
    if (options.signal?.aborted) {
      summary.outcome = 'failed';
      summary.reason = 'aborted';
    } else if (summary.errors.store) {
      // Items were found that could not be kept: a run that lost writes is a failure, whatever else went well.
      summary.outcome = 'failed';
      summary.reason = `the store refused ${summary.errors.store} writes; the next run fetches what was not stored`;
    } else if (summary.outcome === 'ok' && summary.failed > 0) {
      summary.outcome = 'partial';
      summary.reason = `${summary.failed} of ${summary.articlesFound} articles failed`;
    }
  }

  /** The run's status, log line and metrics; the after-run hook comes later, outside the slot (afterRun). */
  private async finish(source: SourceConfig, summary: CrawlSummary): Promise<void> {
    try {
      const stats = await this.deps.store.stats();
      this.status.setItems(stats.bySource);
      for (const [id, count] of Object.entries(stats.bySource)) this.deps.metrics?.itemsStored.set({ source: id }, count);
    } catch (err) {
      this.deps.logger[isStoreOutage(err) ? 'debug' : 'warn']({ err }, 'could not read store stats');
    }
    const level = summary.outcome === 'failed' ? 'error' : summary.outcome === 'partial' ? 'warn' : 'info';
    this.deps.logger[level]({ summary, source: source.id }, formatSummary(summary));
    this.status.finished(summary);
    this.recordMetrics(summary);
  }

  private recordMetrics(summary: CrawlSummary): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const source = summary.source;
    metrics.crawlRuns.inc({ source, outcome: summary.outcome });
    metrics.crawlDuration.observe({ source }, summary.durationMs / 1000);
    for (const [kind, count] of Object.entries(summary.errors)) metrics.crawlErrors.inc({ source, kind }, count);
    for (const status of ['new', 'duplicate', 'merged', 'updated', 'unchanged'] as const) {
      if (summary[status]) metrics.items.inc({ source, status }, summary[status]);
    }
    if (summary.undated) metrics.itemsUndated.inc({ source }, summary.undated);
    if (summary.outcome === 'ok' || summary.outcome === 'partial') {
      metrics.lastCrawlSuccess.set({ source }, Date.now() / 1000);
    }
  }

  /** ` (lease held by pid 4242 on host web-1 until …Z)`, or nothing when the holder cannot be read. */
  private async holderOf(id: string): Promise<string> {
    const holder = await this.deps.lock.holder(`crawl:${id}`).catch(() => null);
    return holder ? ` (lease held by ${describeHolder(holder)})` : '';
  }

  /** Who holds each source's crawl lease, for /readyz; null where none does or the store does not answer. */
  async leaseHolders(): Promise<Record<string, LeaseHolder | null>> {
    const ids = this.deps.sources.map((source) => source.id);
    const holders = await Promise.all(ids.map((id) => this.deps.lock.holder(`crawl:${id}`).catch(() => null)));
    return Object.fromEntries(ids.map((id, i) => [id, holders[i] ?? null]));
  }

  private async claimTick(id: string, tick: Date): Promise<boolean> {
    const claim = await this.deps.lock.acquire(`tick:${id}:${tick.toISOString()}`, TICK_CLAIM_MS);
    return claim !== null;
  }

  private keepRenewing(lease: Lease, sourceId: string): () => void {
    const timer = setInterval(
      () => {
        lease.renew().then(
          (held) => {
            if (!held) this.deps.logger.warn({ source: sourceId }, 'crawl lease lost; another replica may start');
          },
          (err: unknown) => this.deps.logger.warn({ err, source: sourceId }, 'crawl lease renewal failed'),
        );
      },
      Math.max(1000, Math.floor(this.deps.leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  private async client(source: SourceConfig): Promise<HttpClient> {
    let client = this.clients.get(source.id);
    if (!client) {
      const { createHttpClient, originPolicy } = await import('../fetch/index.js');
      client =
        this.deps.createClient?.(source) ??
        createHttpClient({
          ...source.http,
          userAgent: source.http.userAgent ?? this.deps.userAgent,
          logger: this.deps.logger.child({ source: source.id }),
          origins: originPolicy(sourceUrls(source), source.allowHosts),
          onRequest: (event) =>
            this.deps.metrics?.fetchRequests.inc({ source: source.id, status: String(event.status ?? event.errorKind ?? 'error') }),
        });
      this.clients.set(source.id, client);
    }
    return client;
  }
}
