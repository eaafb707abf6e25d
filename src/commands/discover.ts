import { PortalfeedError } from '../core/errors.js';
import { commandLogger, loadCommandConfig, sourceForUrl } from './common.js';
import { EXIT } from './program.js';

export interface DiscoverCommandOptions {
  config?: string;
  limit?: number;
}

/** `portalfeed discover URL`: a source block for the config, then a preview of what it would publish. */
export async function runDiscover(target: string, opts: DiscoverCommandOptions): Promise<void> {
  if (!/^https?:\/\/[^/\s]+/i.test(target)) {
    throw new PortalfeedError('USAGE', `${target} is not an http(s) URL (give the portal's address, e.g. https://www.quangtri.gov.vn)`);
  }
  const config = loadCommandConfig(opts.config);
  const logger = commandLogger(config);
  const source = sourceForUrl(config, target);
  const http = source?.http ?? config.sources[0]!.http;
  const { createHttpClient } = await import('../fetch/index.js');
  const { discoverSite, foundNothing, previewItems, previewTable, sourceBlock } = await import('../discover/index.js');
  const client = createHttpClient({ ...http, userAgent: http.userAgent ?? config.crawl.userAgent, logger });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const now = () => new Date();
    const run = await discoverSite(target, { http: client, logger, now, signal: abort.signal });
    if (foundNothing(run.discovery)) {
      process.stderr.write(
        `portalfeed: no news section, sitemap or feed found at ${target}. Tried:\n${run.discovery.tried.map((t) => `  - ${t}`).join('\n')}\n`,
      );
      process.exitCode = EXIT.nothingFound;
      return;
    }
    process.stdout.write(sourceBlock(run.discovery, source ? { id: source.id } : {}));
    const preview = await previewItems(run, client, { limit: opts.limit ?? 10, selectors: source?.selectors, now: now(), signal: abort.signal });
    process.stdout.write(`\n${previewTable(preview)}`);
  } finally {
    process.off('SIGINT', onSignal);
    await client.close();
  }
}
