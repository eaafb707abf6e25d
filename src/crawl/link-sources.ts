/**
 * Article links a portal offers besides its listing pages: its sitemap (only what changed since the last read, by
 * conditional GET and `lastmod`) and the feeds it advertises (a dead or empty feed is skipped, never an error).
 */
import Parser from 'rss-parser';
import { describeError } from '../core/errors.js';
import type { HttpValidators } from '../core/types.js';
import { matchesPattern, readSitemapTree, type SitemapEntry } from '../discover/index.js';
import type { FetchResponse } from '../fetch/index.js';
import type { CrawlContext } from './context.js';

/** Sitemap links taken per run, per listing page a section walk may read (`maxPages`, or `--backfill`). */
export const SITEMAP_LINKS_PER_PAGE = 20;

export interface LinkBatch {
  /** Where the links come from, for pending work and logs. */
  origin: 'sitemap' | 'feed';
  links: string[];
  /** Links whose sitemap `lastmod` is newer than the last read: fetched again even when stored. */
  changed: Set<string>;
  /** Remembers what was read; called once every link is settled. */
  commit(): Promise<void>;
}

interface SitemapState {
  /** Child sitemap URL → the `lastmod` it had when fully read. */
  children: Record<string, string>;
  /** The newest `lastmod` of the last full read: an entry changed later is an edit to fetch again. */
  watermark: number | null;
}

const feedParser = new Parser();

function sameSite(url: string, baseUrl: string): boolean {
  const host = (u: string) => new URL(u).hostname.replace(/^www\./, '');
  return host(url) === host(baseUrl);
}

function changedAt(entry: SitemapEntry): number {
  const iso = entry.lastmod ?? entry.published;
  return iso ? Date.parse(iso) : 0;
}

function publishedAt(entry: SitemapEntry): number {
  const iso = entry.published ?? entry.lastmod;
  return iso ? Date.parse(iso) : 0;
}

/** A conditional fetch that answers null for 304 and for failures (logged), keeping the validators to save later. */
function conditionalFetcher(ctx: CrawlContext, what: string, validators: Map<string, HttpValidators>) {
  const conditional = !ctx.options.refresh && !ctx.options.backfill;
  return async (url: string): Promise<FetchResponse | null> => {
    try {
      const stored = conditional ? await ctx.store.getValidators(url, ctx.source.id) : null;
      const response = await ctx.http.get({
        url,
        validators: stored,
        signal: ctx.options.signal,
        accept: 'application/xml,text/xml;q=0.9,*/*;q=0.5',
      });
      ctx.summary.listingPages += 1;
      if (response.notModified) {
        ctx.summary.listingNotModified += 1;
        return null;
      }
      validators.set(url, response.validators);
      return response;
    } catch (err) {
      ctx.logger.info({ url, source: ctx.source.id, err: describeError(err) }, `${what} not read`);
      return null;
    }
  };
}

export async function sitemapBatch(ctx: CrawlContext, sitemap: string, linkPattern: string | undefined): Promise<LinkBatch> {
  const { source, options } = ctx;
  const name = `sitemap:${source.id}`;
  const state = (await ctx.store.getState<SitemapState>(name)) ?? { children: {}, watermark: null };
  const validators = new Map<string, HttpValidators>();
  const fetch = conditionalFetcher(ctx, 'sitemap', validators);
  const seenChildren: Record<string, string> = {};
  const fresh = options.refresh || options.backfill;
  const entries = await readSitemapTree(
    sitemap,
    fetch,
    (line) => ctx.logger.debug({ source: source.id }, `sitemap: ${line}`),
    (child) => {
      if (child.lastmod) seenChildren[child.url] = child.lastmod;
      return !fresh && !!child.lastmod && state.children[child.url] === child.lastmod;
    },
  );
  const watermark = state.watermark ?? null;
  const matching = entries
    .filter((e) => sameSite(e.url, source.baseUrl) && (!linkPattern || matchesPattern(linkPattern, e.url)))
    .sort((a, b) => publishedAt(b) - publishedAt(a));
  const limit = (options.backfill ?? source.maxPages) * SITEMAP_LINKS_PER_PAGE;
  const taken = matching.slice(0, limit);
  const capped = matching.length > taken.length;
  const changed = new Set(watermark === null ? [] : taken.filter((e) => changedAt(e) > watermark).map((e) => e.url));
  const newest = Math.max(watermark ?? 0, ...matching.map(changedAt));
  return {
    origin: 'sitemap',
    links: taken.map((e) => e.url),
    changed,
    async commit() {
      // A read cut short by the per-run limit is not remembered: the next run reads the same sitemaps again.
      if (capped) return;
      for (const [url, v] of validators) await ctx.store.setValidators(url, v, source.id);
      await ctx.store.setState(name, { children: { ...state.children, ...seenChildren }, watermark: newest || null });
    },
  };
}

export async function feedBatch(ctx: CrawlContext, feeds: string[]): Promise<LinkBatch> {
  const validators = new Map<string, HttpValidators>();
  const fetch = conditionalFetcher(ctx, 'feed', validators);
  const links: string[] = [];
  for (const feed of feeds) {
    const response = await fetch(feed);
    if (!response) continue;
    try {
      const parsed = await feedParser.parseString(response.text);
      links.push(...parsed.items.flatMap((item) => (item.link ? [new URL(item.link, feed).href] : [])));
    } catch (err) {
      validators.delete(feed);
      ctx.logger.info({ url: feed, source: ctx.source.id, err: describeError(err) }, 'advertised feed is not a feed; skipped');
    }
  }
  return {
    origin: 'feed',
    links: [...new Set(links)].filter((link) => sameSite(link, ctx.source.baseUrl)),
    changed: new Set(),
    async commit() {
      for (const [url, v] of validators) await ctx.store.setValidators(url, v, ctx.source.id);
    },
  };
}
