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
  const { discoverReport } = await import('../discover/report.js');
  const client = createHttpClient({ ...http, userAgent: http.userAgent ?? config.crawl.userAgent, logger });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const report = await discoverReport(
      target,
      { http: client, logger, now: () => new Date(), signal: abort.signal },
      { limit: opts.limit ?? 10, id: source?.id, selectors: source?.selectors },
    );
    if (report.found) {
      process.stdout.write(report.text);
    } else {
      process.stderr.write(`portalfeed: ${report.text}`);
      process.exitCode = EXIT.nothingFound;
    }
  } finally {
    process.off('SIGINT', onSignal);
    await client.close();
  }
}
