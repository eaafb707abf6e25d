import type { PageVerdict } from '../extract/index.js';
import { errorKind, FetchError, PortalfeedError } from '../core/errors.js';
import { identityKey } from '../store/index.js';
import type { SectionConfig } from '../config/schema.js';
import type { HttpValidators, ListingPage } from '../core/types.js';
import type { CrawlContext } from './context.js';
import { articlesInProcess, settleEach } from './in-process.js';
import { planPortal } from './discovered.js';
import type { LinkBatch } from './link-sources.js';
import { RejectedPages } from './rejected.js';
import { PendingWork, type PendingPage } from './pending.js';
import { recheckStoredItems } from './recheck.js';
import { storeArticle } from './store-article.js';
import { countError } from './summary.js';

const PERMANENT_CODES: ReadonlySet<string> = new Set(['FETCH_ROBOTS_DISALLOWED', 'FETCH_OFFSITE', 'FETCH_BAD_REDIRECT', 'FETCH_BINARY']);

/** Failures that will not heal by retrying: the listing page may be remembered as seen despite them. */
function isPermanent(err: unknown): boolean {
  if (err instanceof FetchError) {
    return PERMANENT_CODES.has(err.code) || err.status === 404 || err.status === 410;
  }
  return false;
}

interface ListingFetch {
  page: ListingPage | null;
  validators: HttpValidators;
}

interface PortalRun extends CrawlContext {
  pending: PendingWork;
  rejected: RejectedPages;
}

type WalkEnd = 'done' | 'first-page-failed';

/**
 * One crawl of a portal source: finish what an earlier run left, then walk each section's listing pages,
 * fetching, extracting, tagging and storing new articles.
 */
export async function crawlPortalSource(ctx: CrawlContext): Promise<void> {
  const { summary } = ctx;
  const plan = await planPortal(ctx);
  const source = plan.source;
  if (plan.nothing) {
    summary.outcome = 'failed';
    summary.reason = plan.nothing;
    return;
  }
  const run: PortalRun = {
    ...ctx,
    source,
    pending: await PendingWork.load(ctx.store, source.id),
    rejected: await RejectedPages.load(ctx.store, source.id, ctx.now().getTime()),
  };
  await resumeLinks(run);
  // Before the listings, so that a link they also show is fetched once, as a re-check with its validators.
  await recheckStoredItems(run);
  let sectionsFailed = 0;
  for (const section of source.sections) {
    if (ctx.options.signal?.aborted) break;
    const ok = await crawlSection(run, section);
    if (!ok) sectionsFailed += 1;
  }
  // Sitemap and feed readers (cheerio, rss-parser, the extraction stack behind them) load only for sources that have
  // them: pages are parsed in the workers, and a main thread that never reads a sitemap does not keep that code.
  if (plan.sitemap && !ctx.options.signal?.aborted) {
    const { sitemapBatch } = await import('./link-sources.js');
    await crawlBatch(run, await sitemapBatch(run, plan.sitemap, source.linkPattern));
  }
  if (plan.feeds.length && !ctx.options.signal?.aborted) {
    const { feedBatch } = await import('./link-sources.js');
    await crawlBatch(run, await feedBatch(run, plan.feeds));
  }
  await run.pending.save();
  await run.rejected.save();
  if (sectionsFailed === source.sections.length && source.sections.length > 0) {
    summary.outcome = 'failed';
    summary.reason ??= 'no listing page could be read';
  } else if (sectionsFailed > 0) {
    summary.outcome = 'partial';
    summary.reason = `${sectionsFailed} of ${source.sections.length} sections failed: ${summary.reason ?? ''}`;
  }
}

/** Article links an interrupted run found but did not settle are fetched now, whatever the listings answer. */
async function resumeLinks(run: PortalRun): Promise<void> {
  const left = run.pending.leftLinks();
  if (left.length === 0) return;
  run.logger.info({ source: run.source.id, links: left.length }, `resuming ${left.length} article links an earlier run left`);
  const sectionIds = new Set(left.map((link) => link.section));
  for (const sectionId of sectionIds) {
    if (run.options.signal?.aborted) return;
    const urls = left.filter((link) => link.section === sectionId).map((link) => link.url);
    const fresh = await selectArticles(run, urls);
    for (const url of urls) if (!fresh.includes(url)) run.pending.settled(url);
    run.summary.articlesFound += fresh.length;
    const section = run.source.sections.find((s) => s.id === sectionId);
    await processArticles(run, section?.name ?? null, fresh);
    await run.pending.save();
  }
}

/** Sitemap or feed links: fetched like a listing's, and the batch remembered once every link is settled. */
async function crawlBatch(run: PortalRun, batch: LinkBatch): Promise<void> {
  const fresh = await selectArticles(run, batch.links, batch.changed);
  run.summary.articlesFound += batch.links.length;
  run.pending.add(batch.origin, fresh);
  await run.pending.save();
  const interrupted = await processArticles(run, null, fresh);
  await run.pending.save();
  if (interrupted === 0 && !run.options.signal?.aborted) await batch.commit();
}

/** Returns false when the section's first listing page could not be read. */
async function crawlSection(run: PortalRun, section: SectionConfig): Promise<boolean> {
  const visited = new Set<string>();
  const resume = run.pending.nextPage(section.id) ?? null;
  const first = new URL(section.url, run.source.baseUrl).href;
  if ((await walkListing(run, section, { section: section.id, url: first, page: 1 }, visited, resume)) === 'first-page-failed') {
    return false;
  }
  if (resume && !visited.has(resume.url) && !run.options.signal?.aborted) {
    run.logger.info({ source: run.source.id, section: section.id, url: resume.url }, 'resuming the listing walk an earlier run left');
    await walkListing(run, section, resume, visited, null);
  }
  return true;
}

/**
 * Walks listing pages from `start` while they give new articles. Before a page's articles are fetched its new links
 * and the next page are kept as pending work; its validators are stored only once every link is settled.
 * `after` is the pending page this walk leaves when it ends by itself.
 */
async function walkListing(
  run: PortalRun,
  section: SectionConfig,
  start: PendingPage,
  visited: Set<string>,
  after: PendingPage | null,
): Promise<WalkEnd> {
  const { source, options, pending } = run;
  const maxPages = options.backfill ?? source.maxPages;
  let url: string | null = start.url;
  for (let pageNo = start.page; url && pageNo <= maxPages && !visited.has(url); pageNo++) {
    if (options.signal?.aborted) return 'done';
    visited.add(url);
    const listing = await fetchListing(run, url, section.linkPattern ?? source.linkPattern);
    if (listing instanceof Error) {
      if (isPermanent(listing)) pending.setNextPage(section.id, after);
      return pageNo === 1 ? 'first-page-failed' : 'done';
    }
    if (!listing.page) break;
    if (pageNo === 1 && listing.page.links.length === 0) {
      reportEmptyListing(run, url);
      return 'first-page-failed';
    }
    const fresh = await selectArticles(run, listing.page.links);
    run.summary.articlesFound += listing.page.links.length;
    const next = listing.page.nextPage;
    const continues = (fresh.length > 0 || Boolean(options.backfill)) && next !== null && pageNo < maxPages && !visited.has(next);
    pending.add(section.id, fresh);
    pending.setNextPage(section.id, continues ? { section: section.id, url: next, page: pageNo + 1 } : after);
    await pending.save();
    const interrupted = await processArticles(run, section.name, fresh);
    await pending.save();
    if (interrupted === 0 && !options.signal?.aborted) await run.store.setValidators(url, listing.validators, source.id);
    options.onProgress?.({ source: source.id, section: section.id, page: pageNo, pages: maxPages, summary: run.summary });
    if (!continues) return 'done';
    url = next;
  }
  if (!options.signal?.aborted) pending.setNextPage(section.id, after);
  return 'done';
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

/** Returns the error when the page could not be read. */
async function fetchListing(ctx: CrawlContext, url: string, linkPattern: string | undefined): Promise<ListingFetch | Error> {
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
    const page = await ctx.parser.listing(response.text, response.url, {
      linkPattern,
      selectors: source.selectors,
    });
    return { page, validators: response.validators };
  } catch (err) {
    countError(summary, errorKind(err));
    ctx.logger.warn({ err, url, source: source.id, kind: errorKind(err) }, 'listing page failed');
    summary.reason = `listing ${url}: ${err instanceof Error ? err.message : String(err)}`;
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Links not tried in this run, not known to be no article, and not stored yet (unless `changed` says they were edited). */
async function selectArticles(run: PortalRun, links: string[], changed: Set<string> = new Set()): Promise<string[]> {
  const untried = links.filter((link) => {
    const key = identityKey(link);
    if (run.attempted.has(key) || (run.rejected.has(key) && !run.options.refresh)) return false;
    run.attempted.add(key);
    return true;
  });
  if (run.options.refresh) return untried;
  const known = await Promise.all(untried.map((link) => (changed.has(link) ? false : run.store.knows(link, run.source.id))));
  return untried.filter((_, i) => !known[i]);
}

/** The run stopped (abort, store outage) before this link could be settled: it stays pending as it was. */
function isInterruption(ctx: CrawlContext, err: unknown): boolean {
  const kind = errorKind(err);
  return Boolean(ctx.options.signal?.aborted) || kind === 'aborted' || kind === 'store';
}

/**
 * Processes articles side by side (the HTTP client keeps each host polite) and settles them in the pending work;
 * returns how many the run's interruption left unsettled.
 */
async function processArticles(run: PortalRun, sectionName: string | null, links: string[]): Promise<number> {
  const { summary, pending } = run;
  const results = await settleEach(links, articlesInProcess(run.source), (link) => processArticle(run, sectionName, link));
  let interrupted = 0;
  results.forEach((result, i) => {
    const link = links[i]!;
    if (result.status === 'fulfilled') {
      pending.settled(link);
      return;
    }
    const err = result.reason as unknown;
    summary.failed += 1;
    countError(summary, errorKind(err));
    if (isInterruption(run, err)) interrupted += 1;
    else if (isPermanent(err)) pending.settled(link);
    else pending.failed(link);
    const level = err instanceof PortalfeedError && isPermanent(err) ? 'info' : 'warn';
    run.logger[level]({ err, url: link, source: run.source.id, kind: errorKind(err) }, 'article failed');
  });
  return interrupted;
}

async function processArticle(ctx: PortalRun, sectionName: string | null, link: string): Promise<void> {
  const { options, summary } = ctx;
  const validators = options.refresh ? await ctx.store.getValidators(link) : null;
  const response = await ctx.http.get({ url: link, validators, signal: options.signal });
  summary.articlesFetched += 1;
  if (response.notModified) {
    summary.unchanged += 1;
    return;
  }
  const { article, verdict, failure } = await ctx.parser.page(response.text, response.url, { selectors: ctx.source.selectors, now: ctx.now() });
  if (!article) {
    // A page extraction finds no article in is skipped when it is plainly something else; otherwise it failed.
    if (verdict.decisive) return skipNotArticle(ctx, link, verdict);
    throw failure;
  }
  if (verdict.kind !== 'article') return skipNotArticle(ctx, link, verdict);
  await storeArticle(ctx, link, article, sectionName);
  // Kept for every article: later re-checks are conditional GETs.
  await ctx.store.setValidators(link, response.validators);
}

/** Listings, tag and author pages, search results, site pages and error pages served as 200 never become items. */
function skipNotArticle(ctx: PortalRun, link: string, verdict: PageVerdict): void {
  ctx.summary.notArticles += 1;
  ctx.rejected.add(identityKey(link), ctx.now().getTime());
  ctx.logger.info({ url: link, source: ctx.source.id, kind: verdict.kind, rule: verdict.reason }, `not an article (${verdict.kind}); skipped`);
}
