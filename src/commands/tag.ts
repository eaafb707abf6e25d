import { extractArticle } from '../extract/index.js';
import { createTagger, formatExplanation, loadTaxonomy } from '../tag/index.js';
import { commandLogger, loadCommandConfig, readPage } from './common.js';

export async function runTag(target: string, opts: { config?: string; baseUrl?: string; explain?: boolean }): Promise<void> {
  const config = loadCommandConfig(opts.config);
  const logger = commandLogger(config);
  const tagger = createTagger(loadTaxonomy(config.taxonomyPath));
  const page = await readPage(target, config, logger, opts.baseUrl);
  const article = extractArticle(page.html, page.url, { selectors: page.source?.selectors });
  const input = { title: article.title, lead: article.lead, text: article.text, section: article.section };
  if (opts.explain) {
    process.stdout.write(`${article.title}\n${formatExplanation(tagger.explain(input))}\n`);
    return;
  }
  const result = tagger.tag(input);
  process.stdout.write(`${JSON.stringify({ categories: result.categories, places: result.places }, null, 2)}\n`);
}
