import { once } from 'node:events';
import type { Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { createApp, type App } from '../app.js';
import { cacheMaxAgeSeconds, schedulePeriodMs, startScheduler, type Scheduler } from '../crawl/scheduler.js';
import { createServer } from '../serve/index.js';
import { commandLogger, loadCommandConfig } from './common.js';

const PUBLISHER_POLL_MS = 5_000;
const STORE_RETRY_POLL_MS = 2_000;
/**
 * V8 lets a heap grow to up to 4x what survived its last full collection before collecting again. serve's main thread
 * and parse worker each keep about 30 MB, yet a 300-source crawl left their heaps at 141 and 92 MB (bench:scale);
 * growing by half at most held them at 85 and 59 MB, for more (shorter) full collections. V8 flags are per process:
 * the parse workers, started later, get it too.
 */
const V8_FLAGS = ['--heap-growing-percent=50'];

export interface ServeOptions {
  config?: string;
  port?: number;
  initialCrawl?: boolean;
  /** The environment the config's overrides come from (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

export async function runServe(opts: ServeOptions): Promise<void> {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  const config = loadCommandConfig(opts.config, { port: opts.port, env: opts.env });
  const logger = commandLogger(config, { stderr: false });
  const app = await createApp(config, logger, { storeThread: config.store.thread });
  const server = buildServer(app);
  server.listen(config.server.port, config.server.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.info({ port, publicUrl: config.server.publicUrl, store: app.store.kind }, `serving feeds on port ${port}`);

  await app.publisher.refresh().catch((err: unknown) => logger.warn({ err }, 'initial render failed; will retry'));
  const poll = setInterval(() => {
    // Another replica's changes: published under the same interval as this process's own runs.
    app.publisher.publish().catch((err: unknown) => logger.debug({ err }, 'feed refresh failed; serving last good feeds'));
  }, PUBLISHER_POLL_MS);
  poll.unref();

  const scheduler = startScheduler(app.crawler, config.sources, logger);
  const retry = new StoreRetry(app);
  if (opts.initialCrawl !== false) {
    void app.crawler
      .runAll()
      .then((summaries) => retry.add(summaries.filter((s) => s.outcome === 'failed' && s.errors.store).map((s) => s.source)))
      .catch((err: unknown) => logger.error({ err }, 'initial crawl failed'));
  }
  await waitForShutdown(app, server, scheduler, poll, () => retry.stop());
}

/** The HTTP server wired to an app's publisher, store, crawler and metrics. */
export function buildServer(app: App): Server {
  const { config } = app;
  // One computation per distinct schedule: node-cron takes about 0.7 ms for each.
  const periods = [...new Set(config.sources.map((s) => s.schedule))].map((schedule) => schedulePeriodMs(schedule) ?? 15 * 60_000);
  return createServer({
    publisher: app.publisher,
    store: app.store,
    metrics: app.metrics,
    logger: app.logger.child({ component: 'http' }),
    publicUrl: config.server.publicUrl,
    categories: app.tagger.categories(),
    sources: config.sources.map(({ id, name, baseUrl, schedule }) => ({ id, name, baseUrl, schedule })),
    cacheMaxAgeSeconds: cacheMaxAgeSeconds(periods),
    health: () => app.crawler.status.snapshot(),
    leaseHolders: () => app.crawler.leaseHolders(),
    crawlQueue: () => app.crawler.queueSnapshot(),
    adminToken: config.server.adminToken,
    websubHub: config.feed.websubHub,
    onAdminCrawl: (sourceId) => {
      const ids = sourceId ? [sourceId] : config.sources.filter((s) => s.enabled).map((s) => s.id);
      if (ids.every((id) => app.crawler.isRunning(id))) return { accepted: false, reason: 'already running' };
      for (const id of ids) void app.crawler.run(id).catch((err: unknown) => app.logger.error({ err }, 'admin crawl failed'));
      return { accepted: true };
    },
  });
}

/** SIGTERM/SIGINT: stop the scheduler, let a running crawl finish within the grace period, drain HTTP, close the store. */
/**
 * Start-up crawls that failed because the store did not answer are run again as soon as it does, rather than
 * at the next scheduled tick (which may be hours away).
 */
class StoreRetry {
  private readonly waiting = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly app: App) {}

  add(ids: string[]): void {
    for (const id of ids) this.waiting.add(id);
    if (this.waiting.size === 0 || this.timer) return;
    this.app.logger.info({ sources: [...this.waiting] }, 'start-up crawl failed on the store; it runs again when the store answers');
    this.timer = setInterval(() => void this.tick(), STORE_RETRY_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.app.store.ping();
      const ids = [...this.waiting];
      this.waiting.clear();
      this.stop();
      this.app.logger.info({ sources: ids }, 'the store answers again; running the start-up crawl');
      const summaries = await Promise.all(ids.map((id) => this.app.crawler.run(id)));
      this.add(summaries.filter((s) => s.outcome === 'failed' && s.errors.store).map((s) => s.source));
    } catch {
      // Still down: the store client has said so once; try again at the next tick.
    } finally {
      this.busy = false;
    }
  }
}

async function waitForShutdown(app: App, server: Server, scheduler: Scheduler, poll: NodeJS.Timeout, stopRetry: () => void): Promise<void> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  const { logger } = app;
  logger.info({ signal }, 'shutting down');
  clearInterval(poll);
  stopRetry();
  await scheduler.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await app.crawler.shutdown(app.config.crawl.shutdownGraceMs);
  const drainTimer = setTimeout(() => server.closeAllConnections(), 5_000);
  drainTimer.unref();
  await closed;
  await app.store.close();
  logger.info('stopped');
  logger.flush?.();
}
