import { extractArticle, extractListing } from '../extract/index.js';
import { errorKind, FetchError, PortalfeedError } from '../core/errors.js';
import { identityKey } from '../store/index.js';
import type { SectionConfig, SourceConfig } from '../config/schema.js';
import type { ExtractedArticle, HttpValidators, ItemCandidate, ListingPage } from '../core/types.js';
import type { CrawlContext, CrawlRunOptions } from './context.js';
import { countError, countUpsert, type CrawlSummary } from './summary.js';

/** Failures that will not heal by retrying: the listing page may be remembered as seen despite them. */
function isPermanent(err: unknown): boolean {
  if (err instanceof FetchError) {
    return err.code === 'FETCH_ROBOTS_DISALLOWED' || err.status === 404 || err.status === 410;
  }
  return false;
}

interface ListingFetch {
  page: ListingPage | null;
  validators: HttpValidators;
}

/** One crawl of a portal source: walk each section's listing pages, then fetch, extract, tag and store new articles. */
export async function crawlPortalSource(
  source: SourceConfig,
  ctx: CrawlContext,
  options: CrawlRunOptions,
  summary: CrawlSummary,
): Promise<void> {
  let sectionsFailed = 0;
  const attempted = new Set<string>();
  for (const section of source.sections) {
    if (options.signal?.aborted) break;
    const ok = await crawlSection(source, section, ctx, { ...options, attempted }, summary);
    if (!ok) sectionsFailed += 1;
  }
  if (sectionsFailed === source.sections.length && source.sections.length > 0) {
    summary.outcome = 'failed';
    summary.reason ??= 'no listing page could be read';
  } else if (sectionsFailed > 0) {
    summary.outcome = 'partial';
    summary.reason = `${sectionsFailed} of ${source.sections.length} sections failed: ${summary.reason ?? ''}`;
  }
}

/** Article identities tried in this run: a link repeated on several listing pages is fetched once. */
type SectionRunOptions = CrawlRunOptions & { attempted: Set<string> };

/** Returns false when the section's first listing page could not be read. */
async function crawlSection(
  source: SourceConfig,
  section: SectionConfig,
  ctx: CrawlContext,
  options: SectionRunOptions,
  summary: CrawlSummary,
): Promise<boolean> {
  const maxPages = options.backfill ?? source.maxPages;
  const conditional = !options.refresh && !options.backfill;
  let url: string | null = new URL(section.url, source.baseUrl).href;
  const visited = new Set<string>();
  for (let pageNo = 1; url && pageNo <= maxPages && !visited.has(url); pageNo++) {
    if (options.signal?.aborted) break;
    visited.add(url);
    const listing = await fetchListing(url, source, ctx, options, summary, conditional);
    if (listing === 'failed') return pageNo > 1;
    if (!listing.page) break;
    if (pageNo === 1 && listing.page.links.length === 0) {
      reportEmptyListing(url, source, ctx, summary);
      return false;
    }
    const fresh = await selectArticles(listing.page.links, source.id, ctx, options);
    summary.articlesFound += listing.page.links.length;
    const transientFailures = await processArticles(fresh, source, section, ctx, options, summary);
    if (transientFailures === 0) await ctx.store.setValidators(url, listing.validators, source.id);
    options.onProgress?.({ source: source.id, section: section.id, page: pageNo, pages: maxPages, summary });
    if (fresh.length === 0 && !options.backfill) break;
    url = listing.page.nextPage;
  }
  return true;
}

/**
 * A first listing page without article links means the layout changed or the list is drawn by script:
 * fail the section loudly instead of reporting an "ok" crawl that finds nothing for ever.
 */
function reportEmptyListing(url: string, source: SourceConfig, ctx: CrawlContext, summary: CrawlSummary): void {
  countError(summary, 'parse');
  summary.reason = `no article links on listing page ${url}${source.linkPattern ? ' matching linkPattern' : ''}`;
  ctx.logger.warn(
    { url, source: source.id, linkPattern: source.linkPattern },
    `${summary.reason}; check the section URL, linkPattern or selectors.listingLinks (the list may be rendered by script)`,
  );
}

async function fetchListing(
  url: string,
  source: SourceConfig,
  ctx: CrawlContext,
  options: CrawlRunOptions,
  summary: CrawlSummary,
  conditional: boolean,
): Promise<ListingFetch | 'failed'> {
  try {
    const validators = conditional ? await ctx.store.getValidators(url, source.id) : null;
    const response = await ctx.http.get({ url, validators, signal: options.signal });
    summary.listingPages += 1;
    if (response.notModified) {
      summary.listingNotModified += 1;
      return { page: null, validators: response.validators };
    }
    const page = extractListing(response.text, response.url, {
      linkPattern: source.linkPattern,
      selectors: source.selectors,
    });
    return { page, validators: response.validators };
  } catch (err) {
    countError(summary, errorKind(err));
    ctx.logger.warn({ err, url, source: source.id, kind: errorKind(err) }, 'listing page failed');
    summary.reason = `listing ${url}: ${err instanceof Error ? err.message : String(err)}`;
    return 'failed';
  }
}

async function selectArticles(links: string[], sourceId: string, ctx: CrawlContext, options: SectionRunOptions): Promise<string[]> {
  const untried = links.filter((link) => {
    const key = identityKey(link);
    if (options.attempted.has(key)) return false;
    options.attempted.add(key);
    return true;
  });
  if (options.refresh) return untried;
  const known = await Promise.all(untried.map((link) => ctx.store.knows(link, sourceId)));
  return untried.filter((_, i) => !known[i]);
}

/** Processes articles side by side (the HTTP client keeps each host polite); returns the count of transient failures. */
async function processArticles(
  links: string[],
  source: SourceConfig,
  section: SectionConfig,
  ctx: CrawlContext,
  options: CrawlRunOptions,
  summary: CrawlSummary,
): Promise<number> {
  const results = await Promise.allSettled(
    links.map((link) => processArticle(link, source, section, ctx, options, summary)),
  );
  let transient = 0;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    const err = result.reason as unknown;
    summary.failed += 1;
    countError(summary, errorKind(err));
    if (!isPermanent(err)) transient += 1;
    const level = err instanceof PortalfeedError && isPermanent(err) ? 'info' : 'warn';
    ctx.logger[level]({ err, url: links[i], source: source.id, kind: errorKind(err) }, 'article failed');
  });
  return transient;
}

async function processArticle(
  link: string,
  source: SourceConfig,
  section: SectionConfig,
  ctx: CrawlContext,
  options: CrawlRunOptions,
  summary: CrawlSummary,
): Promise<void> {
  const validators = options.refresh ? await ctx.store.getValidators(link) : null;
  const response = await ctx.http.get({ url: link, validators, signal: options.signal });
  summary.articlesFetched += 1;
  if (response.notModified) {
    summary.unchanged += 1;
    return;
  }
  const article = extractArticle(response.text, response.url, { selectors: source.selectors, now: ctx.now() });
  await storeArticle(link, article, source.id, section.name, ctx, summary);
  if (options.refresh) await ctx.store.setValidators(link, response.validators);
}

/** Tag and store one extracted article; shared by portal and feed sources. */
export async function storeArticle(
  link: string,
  article: ExtractedArticle,
  sourceId: string,
  sectionName: string | null,
  ctx: CrawlContext,
  summary: CrawlSummary,
): Promise<void> {
  const section = article.section ?? sectionName;
  const tags = ctx.tagger.tag({ title: article.title, lead: article.lead, text: article.text, section });
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
}
