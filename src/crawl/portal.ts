import { extractArticle, extractListing } from '../extract/index.js';
import { errorKind, FetchError, PortalfeedError } from '../core/errors.js';
import { identityKey } from '../store/index.js';
import type { SectionConfig } from '../config/schema.js';
import type { HttpValidators, ListingPage } from '../core/types.js';
import type { CrawlContext } from './context.js';
import { storeArticle } from './store-article.js';
import { countError } from './summary.js';

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
export async function crawlPortalSource(ctx: CrawlContext): Promise<void> {
  const { source, summary } = ctx;
  let sectionsFailed = 0;
  for (const section of source.sections) {
    if (ctx.options.signal?.aborted) break;
    const ok = await crawlSection(ctx, section);
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

/** Returns false when the section's first listing page could not be read. */
async function crawlSection(ctx: CrawlContext, section: SectionConfig): Promise<boolean> {
  const { source, options } = ctx;
  const maxPages = options.backfill ?? source.maxPages;
  let url: string | null = new URL(section.url, source.baseUrl).href;
  const visited = new Set<string>();
  for (let pageNo = 1; url && pageNo <= maxPages && !visited.has(url); pageNo++) {
    if (options.signal?.aborted) break;
    visited.add(url);
    const listing = await fetchListing(ctx, url);
    if (listing === 'failed') return pageNo > 1;
    if (!listing.page) break;
    if (pageNo === 1 && listing.page.links.length === 0) {
      reportEmptyListing(ctx, url);
      return false;
    }
    const fresh = await selectArticles(ctx, listing.page.links);
    ctx.summary.articlesFound += listing.page.links.length;
    const transientFailures = await processArticles(ctx, section, fresh);
    if (transientFailures === 0) await ctx.store.setValidators(url, listing.validators, source.id);
    options.onProgress?.({ source: source.id, section: section.id, page: pageNo, pages: maxPages, summary: ctx.summary });
    if (fresh.length === 0 && !options.backfill) break;
    url = listing.page.nextPage;
  }
  return true;
}

/**
 * A first listing page without article links means the layout changed or the list is drawn by script:
 * fail the section loudly instead of reporting an "ok" crawl that finds nothing for ever.
 */
function reportEmptyListing(ctx: CrawlContext, url: string): void {
  const { source, summary } = ctx;
  countError(summary, 'parse');
  summary.reason = `no article links on listing page ${url}${source.linkPattern ? ' matching linkPattern' : ''}`;
  ctx.logger.warn(
    { url, source: source.id, linkPattern: source.linkPattern },
    `${summary.reason}; check the section URL, linkPattern or selectors.listingLinks (the list may be rendered by script)`,
  );
}

async function fetchListing(ctx: CrawlContext, url: string): Promise<ListingFetch | 'failed'> {
  const { source, options, summary } = ctx;
  const conditional = !options.refresh && !options.backfill;
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

async function selectArticles(ctx: CrawlContext, links: string[]): Promise<string[]> {
  const untried = links.filter((link) => {
    const key = identityKey(link);
    if (ctx.attempted.has(key)) return false;
    ctx.attempted.add(key);
    return true;
  });
  if (ctx.options.refresh) return untried;
  const known = await Promise.all(untried.map((link) => ctx.store.knows(link, ctx.source.id)));
  return untried.filter((_, i) => !known[i]);
}

/** Processes articles side by side (the HTTP client keeps each host polite); returns the count of transient failures. */
async function processArticles(ctx: CrawlContext, section: SectionConfig, links: string[]): Promise<number> {
  const { summary } = ctx;
  const results = await Promise.allSettled(links.map((link) => processArticle(ctx, section, link)));
  let transient = 0;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') return;
    const err = result.reason as unknown;
    summary.failed += 1;
    countError(summary, errorKind(err));
    if (!isPermanent(err)) transient += 1;
    const level = err instanceof PortalfeedError && isPermanent(err) ? 'info' : 'warn';
    ctx.logger[level]({ err, url: links[i], source: ctx.source.id, kind: errorKind(err) }, 'article failed');
  });
  return transient;
}

async function processArticle(ctx: CrawlContext, section: SectionConfig, link: string): Promise<void> {
  const { options, summary } = ctx;
  const validators = options.refresh ? await ctx.store.getValidators(link) : null;
  const response = await ctx.http.get({ url: link, validators, signal: options.signal });
  summary.articlesFetched += 1;
  if (response.notModified) {
    summary.unchanged += 1;
    return;
  }
  const article = extractArticle(response.text, response.url, { selectors: ctx.source.selectors, now: ctx.now() });
  await storeArticle(ctx, link, article, section.name);
  if (options.refresh) await ctx.store.setValidators(link, response.validators);
}
