import type { LoadedConfig } from './config/load.js';
import type { Logger } from './core/log.js';
import { createMetrics, type Metrics } from './core/metrics.js';
import { Crawler } from './crawl/crawler.js';
import { FeedPublisher } from './publish/index.js';
import { pingHub } from './publish/websub.js';
import { openStore, type OpenStore } from './store/index.js';
import { createTagger, loadTaxonomy, type Tagger } from './tag/index.js';
import type { CrawlSummary } from './crawl/summary.js';
import { instrumentStore } from './store/instrument.js';

/** Everything a command needs, built from a validated config; nothing connects before this is called. */
export interface App {
  config: LoadedConfig;
  logger: Logger;
  metrics: Metrics;
  store: OpenStore;
  tagger: Tagger;
  crawler: Crawler;
  publisher: FeedPublisher;
  close(): Promise<void>;
}

/**
 * `storeThread`: the embedded store runs in a worker thread of its own, off the thread that answers HTTP (serve, with
 * `store.thread`); the one-shot commands keep it on their thread: they answer no requests and start faster.
 */
export async function createApp(config: LoadedConfig, logger: Logger, options: { metrics?: Metrics; storeThread?: boolean } = {}): Promise<App> {
  const metrics = options.metrics ?? createMetrics();
  const taxonomy = loadTaxonomy(config.taxonomyPath);
  const tagger = createTagger(taxonomy);
  const rawStore = await openStore({
    redisUrl: config.store.redisUrl,
    redisCluster: config.store.redisCluster,
    redisSentinel: config.store.redisSentinel,
    dataDir: config.store.dataDir,
    keyPrefix: config.store.keyPrefix,
    retentionDays: config.store.retentionDays,
    maxItems: config.store.maxItems,
    nearDuplicateDistance: config.store.nearDuplicateDistance,
    logger: logger.child({ component: 'store' }),
    thread: options.storeThread ?? false,
  });
  const store = instrumentStore(rawStore, metrics);
  const publisher = new FeedPublisher({
    store,
    publicUrl: config.server.publicUrl,
    feed: config.feed,
    sources: config.sources.map(({ id, name, baseUrl }) => ({ id, name, baseUrl })),
    categories: tagger.categories(),
    logger: logger.child({ component: 'publish' }),
  });
  // One WebSub ping per render: the runs whose changes one render published share it.
  const pinged = new WeakSet<Promise<boolean>>();
  const crawler = new Crawler({
    sources: config.sources,
    store,
    lock: store.lock,
    tagger,
    taxonomy,
    logger: logger.child({ component: 'crawl' }),
    metrics,
    userAgent: config.crawl.userAgent,
    leaseMs: config.crawl.leaseMs,
    refreshDays: config.crawl.refreshDays,
    concurrency: config.crawl.concurrency,
    parseWorkers: config.crawl.parseWorkers,
    onRunFinished: (summary) => afterRun(summary, { config, publisher, logger, pinged }),
  });
  return {
    config,
    logger,
    metrics,
    store,
    tagger,
    crawler,
    publisher,
    async close() {
      await crawler.shutdown(config.crawl.shutdownGraceMs);
      await store.close();
    },
  };
}

/** After a run that changed items: publish the change (a rate-limited render), then tell the WebSub hub once per render. */
async function afterRun(
  summary: CrawlSummary,
  ctx: { config: LoadedConfig; publisher: FeedPublisher; logger: Logger; pinged: WeakSet<Promise<boolean>> },
): Promise<void> {
  const changed = summary.new + summary.merged + summary.updated + summary.duplicate;
  if (changed === 0) return;
  const render = ctx.publisher.publish();
  const first = !ctx.pinged.has(render);
  ctx.pinged.add(render);
  await render;
  const hub = ctx.config.feed.websubHub;
  if (!hub || !first) return;
  const topics = ctx.publisher.routes().map((route) => route.url);
  try {
    await pingHub(hub, topics, fetch);
    ctx.logger.info({ hub, topics: topics.length }, 'WebSub hub notified');
  } catch (err) {
    ctx.logger.warn({ err, hub }, 'WebSub ping failed');
  }
}
