import type { Selectors } from '../config/schema.js';
import { extractArticle } from '../extract/index.js';
import { commandLogger, loadCommandConfig, readPage } from './common.js';

/** What `inspect` prints for one page: the extracted fields plus the rule that found each. `bench:extract` scores this very output. */
export function inspectHtml(html: string, url: string, selectors?: Selectors): Record<string, unknown> {
  const { trace, ...fields } = extractArticle(html, url, { selectors });
  const rules = Object.fromEntries(trace.map((t) => [t.field, t.rule]));
  return { ...fields, rules };
}

export async function runInspect(target: string, opts: { config?: string; baseUrl?: string }): Promise<void> {
  const config = loadCommandConfig(opts.config);
  const logger = commandLogger(config);
  const page = await readPage(target, config, logger, opts.baseUrl);
  process.stdout.write(`${JSON.stringify(inspectHtml(page.html, page.url, page.source?.selectors), null, 2)}\n`);
}
