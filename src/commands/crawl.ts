import { createApp } from '../app.js';
import { PortalfeedError } from '../core/errors.js';
import { formatSummary } from '../crawl/summary.js';
import { commandLogger, loadCommandConfig } from './common.js';
import { progressReporter } from './progress.js';

export interface CrawlCommandOptions {
  config?: string;
  source?: string;
  refresh?: boolean;
  backfill?: number;
  rediscover?: boolean;
}

export async function runCrawl(opts: CrawlCommandOptions): Promise<void> {
  const config = loadCommandConfig(opts.config);
  if (opts.source && !config.sources.some((s) => s.id === opts.source)) {
    throw new PortalfeedError('USAGE', `unknown source "${opts.source}" (configured: ${config.sources.map((s) => s.id).join(', ')})`);
  }
  const logger = commandLogger(config);
  const app = await createApp(config, logger);
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    await app.store.ping();
    const sources = opts.source ? [opts.source] : config.sources.filter((s) => s.enabled).map((s) => s.id);
    const pages = opts.backfill ? sources.reduce((n, id) => n + (opts.backfill ?? 0) * (app.crawler.source(id)?.sections.length || 1), 0) : 0;
    const progress = opts.backfill ? progressReporter(pages, logger) : null;
    const runOptions = {
      refresh: opts.refresh,
      backfill: opts.backfill,
      rediscover: opts.rediscover,
      signal: abort.signal,
      onProgress: progress?.onProgress,
    };
    const summaries = await Promise.all(sources.map((id) => app.crawler.run(id, runOptions)));
    progress?.end();
    for (const summary of summaries) process.stdout.write(`${formatSummary(summary)}\n`);
    if (summaries.some((s) => s.outcome === 'failed')) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await app.close();
  }
}
