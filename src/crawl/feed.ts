import Parser from 'rss-parser';
import { ExtractError, errorKind } from '../core/errors.js';
import { cleanText, collapseWhitespace } from '../core/text.js';
import type { ExtractedArticle } from '../core/types.js';
import { parseDate, parseHtmlFragment, plainText, sanitizeHtml } from '../extract/index.js';
import type { CrawlContext } from './context.js';
import { articlesInProcess, settleEach } from './in-process.js';
import { storeArticle } from './store-article.js';
import { countError } from './summary.js';

type FeedEntry = Parser.Item & { 'content:encoded'?: string; author?: string };

const parser: Parser<Record<string, never>, FeedEntry> = new Parser({
  customFields: { item: ['content:encoded', 'author'] },
});

/** A source that already publishes RSS/Atom: its items go through the same extraction, dedup and tagging. */
export async function crawlFeedSource(ctx: CrawlContext): Promise<void> {
  const { source, options, summary } = ctx;
  const feedUrl = new URL(source.feedUrl ?? '/feed/', source.baseUrl).href;
  let entries: FeedEntry[];
  try {
    const validators = options.refresh ? null : await ctx.store.getValidators(feedUrl, source.id);
    const response = await ctx.http.get({ url: feedUrl, validators, signal: options.signal });
    summary.listingPages += 1;
    if (response.notModified) {
      summary.listingNotModified += 1;
      return;
    }
    const feed = await parser.parseString(response.text).catch((cause: unknown) => {
      throw new ExtractError(`${feedUrl} is not a readable RSS or Atom feed`, { cause });
    });
    entries = feed.items.filter((entry) => entry.link);
    summary.articlesFound += entries.length;
    const transient = await processEntries(ctx, entries, feedUrl);
    if (transient === 0) await ctx.store.setValidators(feedUrl, response.validators, source.id);
  } catch (err) {
    countError(summary, errorKind(err));
    summary.outcome = 'failed';
    summary.reason = `feed ${feedUrl}: ${err instanceof Error ? err.message : String(err)}`;
    ctx.logger.warn({ err, url: feedUrl, source: source.id }, 'feed failed');
  }
}

async function processEntries(ctx: CrawlContext, entries: FeedEntry[], feedUrl: string): Promise<number> {
  const { source, options, summary } = ctx;
  const links = entries.map((entry) => new URL(entry.link!, feedUrl).href);
  const known = options.refresh ? links.map(() => false) : await Promise.all(links.map((l) => ctx.store.knows(l, source.id)));
  const results = await settleEach(entries, articlesInProcess(source), async (entry, i) => {
    if (known[i]) return;
    const article = await articleFor(ctx, entry, links[i]!);
    await storeArticle(ctx, links[i]!, article, entry.categories?.[0] ?? null);
  });
  let transient = 0;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    summary.failed += 1;
    transient += 1;
    countError(summary, errorKind(result.reason));
    ctx.logger.warn({ err: result.reason, url: links[i], source: source.id }, 'feed item failed');
  });
  return transient;
}

async function articleFor(ctx: CrawlContext, entry: FeedEntry, link: string): Promise<ExtractedArticle> {
  const { source, options, summary } = ctx;
  const fromFeed = articleFromEntry(entry, link);
  if (!source.fullText) return fromFeed;
  const response = await ctx.http.get({ url: link, signal: options.signal });
  summary.articlesFetched += 1;
  const page = await ctx.parser.article(response.text, response.url, { selectors: source.selectors, now: ctx.now() });
  // The feed's own date and author are structured data: more trustworthy than page heuristics.
  return {
    ...page,
    title: fromFeed.title || page.title,
    publishedAt: fromFeed.publishedAt ?? page.publishedAt,
    author: fromFeed.author ?? page.author,
  };
}

function articleFromEntry(entry: FeedEntry, link: string): ExtractedArticle {
  const html = entry['content:encoded'] ?? entry.content ?? '';
  const contentHtml = sanitizeHtml(html, link);
  // Paragraphs kept apart, as in text extracted from pages: glued sentences would blur tagging and fingerprints.
  const text = plainText(parseHtmlFragment(contentHtml));
  const date = entry.isoDate ?? (entry.pubDate ? parseDate(entry.pubDate)?.iso : undefined) ?? null;
  const lead = entry.contentSnippet ? cleanText(collapseWhitespace(entry.contentSnippet)).slice(0, 500) : null;
  return {
    url: link,
    canonicalUrl: null,
    title: cleanText(collapseWhitespace(entry.title ?? '')),
    publishedAt: date,
    modifiedAt: null,
    author: entry.creator ?? entry.author ?? null,
    sourceName: null,
    lead,
    contentHtml,
    text,
    image: entry.enclosure?.url ?? null,
    section: entry.categories?.[0] ?? null,
    keywords: entry.categories ?? [],
    trace: [{ field: 'all', rule: 'feed-entry', value: link }],
  };
}
