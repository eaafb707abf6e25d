/**
 * A portal source as a run crawls it: configured sections win; a source given only its address gets the sections,
 * link pattern, sitemap and feeds discovery found (kept in the store, refreshed at most daily or on --rediscover).
 */
import type { SourceConfig } from '../config/schema.js';
import type { CrawlContext } from './context.js';

export interface PortalPlan {
  source: SourceConfig;
  /** Sitemap (or index) to read for article links, absolute; null when none. */
  sitemap: string | null;
  /** Feeds whose item links are articles, absolute. */
  feeds: string[];
  /** Set when discovery ran and found nothing: why the run has nothing to crawl. */
  nothing: string | null;
}

export async function planPortal(ctx: CrawlContext): Promise<PortalPlan> {
  const { source } = ctx;
  const abs = (url: string) => new URL(url, source.baseUrl).href;
  const configured: PortalPlan = {
    source,
    sitemap: source.sitemap ? abs(source.sitemap) : null,
    feeds: (source.feeds ?? []).map(abs),
    nothing: null,
  };
  if (source.sections.length > 0) return configured;
  const { currentDiscovery, foundNothing } = await import('../discover/index.js');
  const { discovery, run } = await currentDiscovery(
    ctx.store,
    source,
    { http: ctx.http, logger: ctx.logger, now: ctx.now, signal: ctx.options.signal },
    { rediscover: ctx.options.rediscover },
  );
  if (run) {
    ctx.logger.info(
      { source: source.id, sections: discovery.sections.map((s) => s.url), sitemaps: discovery.sitemaps, feeds: discovery.feeds },
      `discovered ${discovery.sections.length} sections, ${discovery.sitemaps.length} sitemaps, ${discovery.feeds.length} feeds`,
    );
  }
  if (foundNothing(discovery)) {
    return { ...configured, nothing: `discovery found no news section, sitemap or feed (tried: ${discovery.tried.join('; ')})` };
  }
  return {
    source: {
      ...source,
      sections: discovery.sections.map((s) => ({ id: s.id, name: s.name, url: s.url, ...(s.linkPattern ? { linkPattern: s.linkPattern } : {}) })),
      linkPattern: source.linkPattern ?? discovery.linkPattern ?? undefined,
    },
    sitemap: configured.sitemap ?? discovery.sitemaps[0] ?? null,
    feeds: configured.feeds.length ? configured.feeds : discovery.feeds,
    nothing: null,
  };
}
