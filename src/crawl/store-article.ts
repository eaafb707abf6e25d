import type { ExtractedArticle, ItemCandidate, UpsertOutcome } from '../core/types.js';
import type { CrawlContext } from './context.js';
import { countUpsert } from './summary.js';

/** Tag (where pages are parsed) and store one extracted article; shared by portal and feed sources. */
export async function storeArticle(ctx: CrawlContext, link: string, article: ExtractedArticle, sectionName: string | null): Promise<UpsertOutcome> {
  const { summary } = ctx;
  const sourceId = ctx.source.id;
  const section = article.section ?? sectionName;
  const { tags, fingerprint } = await ctx.parser.facts({ title: article.title, lead: article.lead, text: article.text, section });
  const candidate: ItemCandidate = {
    sourceId,
    url: link,
    title: article.title,
    publishedAt: article.publishedAt,
    modifiedAt: article.modifiedAt,
    author: article.author,
    sourceName: article.sourceName,
    lead: article.lead,
    contentHtml: article.contentHtml,
    text: article.text,
    image: article.image,
    section,
    categories: tags.categories,
    places: tags.places,
    fingerprint,
  };
  const outcome = await ctx.store.upsert(candidate, ctx.now());
  countUpsert(summary, outcome.status);
  if (!article.publishedAt && outcome.status === 'new') {
    summary.undated += 1;
    ctx.logger.warn({ url: link, source: sourceId }, 'article has no date; using its first-seen time');
  }
  ctx.logger.debug(
    { url: link, status: outcome.status, guid: outcome.item.guid, matchedBy: outcome.matchedBy, distance: outcome.distance },
    'article stored',
  );
  return outcome;
}
