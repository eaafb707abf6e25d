import type { CategoryInfo, Item } from '../core/types.js';

export type FeedKind = 'all' | 'category' | 'source';
export type FeedFormat = 'rss' | 'atom' | 'json';

/** What a feed is about. */
export interface FeedContext {
  kind: FeedKind;
  /** Category slug or source id; null for the feed of everything. */
  key: string | null;
  title: string;
  description: string;
  language: string;
  /** HTML link of the channel (source baseUrl or publicUrl). */
  siteUrl: string;
  /** Service base URL without trailing slash, e.g. http://localhost:8080. */
  publicUrl: string;
  /** e.g. '/category/kinh-te' ('' for all). */
  path: string;
  /** The query string of a filtered feed's own URL (`?q=…`); absent otherwise. */
  query?: string;
  hub: string | null;
  categories: Map<string, CategoryInfo>;
  generator: string;
  /** RSS `ttl` in minutes; 15 when absent. */
  ttlMinutes?: number;
  /** Channel date for an empty feed (the render time); items' newest date otherwise. */
  emptyDate?: Date;
  /** Source id → name, to credit items that name no author. */
  sourceNames?: Map<string, string>;
}

export const FORMAT_FILES: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' };

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

export function feedUrl(ctx: Pick<FeedContext, 'publicUrl' | 'path' | 'query'>, format: FeedFormat): string {
  return `${base(ctx.publicUrl)}${ctx.path}/${FORMAT_FILES[format]}${ctx.query ?? ''}`;
}

export function categoryScheme(publicUrl: string): string {
  return `${base(publicUrl)}/category/`;
}

/** First parseable date among the values; the epoch when none parses (never an Invalid Date). */
function firstDate(...values: Array<string | null | undefined>): Date {
  for (const value of values) {
    const time = value ? Date.parse(value) : NaN;
    if (!Number.isNaN(time)) return new Date(time);
  }
  return new Date(0);
}

export function itemPublished(item: Item): Date {
  return firstDate(item.publishedAt, item.firstSeenAt);
}

/** When the item last changed: updatedAt, else publishedAt. */
export function itemUpdated(item: Item): Date {
  return firstDate(item.updatedAt, item.publishedAt, item.firstSeenAt);
}

/** Newest change among the items, or the context's empty date (render time) for an empty feed. */
export function feedUpdated(items: Item[], ctx: Pick<FeedContext, 'emptyDate'>): Date {
  let newest = 0;
  for (const item of items) newest = Math.max(newest, itemUpdated(item).getTime() || 0);
  if (newest > 0) return new Date(newest);
  return ctx.emptyDate ?? new Date();
}

export function categoryName(ctx: Pick<FeedContext, 'categories'>, slug: string): string {
  return ctx.categories.get(slug)?.name ?? slug;
}

/**
 * Who to credit: the author, else the named origin (`Báo Quảng Trị`), else the portal the item
 * came from. Readers show a byline; an empty one reads as a broken feed.
 */
export function itemAuthor(item: Item, ctx: Pick<FeedContext, 'sourceNames' | 'title'>): string {
  const source = item.sourceIds.map((id) => ctx.sourceNames?.get(id)).find(Boolean);
  return item.author ?? item.sourceName ?? source ?? ctx.title;
}
