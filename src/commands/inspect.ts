import { extractArticle } from '../extract/index.js';
import { commandLogger, loadCommandConfig, readPage } from './common.js';

export async function runInspect(target: string, opts: { config?: string; baseUrl?: string }): Promise<void> {
  const config = loadCommandConfig(opts.config);
  const logger = commandLogger(config);
  const page = await readPage(target, config, logger, opts.baseUrl);
  const article = extractArticle(page.html, page.url, { selectors: page.source?.selectors });
  const { trace, ...fields } = article;
  const rules = Object.fromEntries(trace.map((t) => [t.field, t.rule]));
  process.stdout.write(`${JSON.stringify({ ...fields, rules }, null, 2)}\n`);
}
