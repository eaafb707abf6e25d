import type { Logger } from '../core/log.js';
import type { CategoryInfo, Item, ItemStore } from '../core/types.js';
import { PortalfeedError, StoreError, describeError, isStoreOutage } from '../core/errors.js';
import { CONTENT_TYPES, feedUpdated, feedUrl, type FeedContext, type FeedFormat, type FeedKind } from './context.js';
import { renderAtom } from './atom.js';
import { renderFeedPreview, renderIndexHtml } from './html.js';
import { renderJsonFeed } from './json.js';
import { renderOpml } from './opml.js';
import { makeRepresentation, type Representation } from './representation.js';
import { channelPath, feedRoutes, type FeedRoute, type SourceRef } from './routes.js';
import { renderRss } from './rss.js';
import { LruMap } from './lru.js';
import { CHANGES_CONTENT_TYPES, renderChangesJson, renderChangesRss, type ChangesContext, type ChangesFormat } from './changes.js';
import { matchesChange, matchesItem, parseFilter, type FeedFilter } from './filter.js';
import { FEED_XSL } from './xsl.js';

export type { Representation };

export interface FeedPublisherOptions {
  store: ItemStore;
  publicUrl: string;
  feed: { title: string; description: string; language: string; maxItems: number; websubHub: string | null };
  sources: SourceRef[];
  categories: CategoryInfo[];
  logger: Logger;
  /** RSS ttl in minutes (default 15). */
  ttlMinutes?: number;
  generator?: string;
  now?: () => Date;
  /** Least time between the starts of two renders asked for by changes (publish()); default PUBLISH_MIN_INTERVAL_MS. */
  publishIntervalMs?: number;
}

export type PageName = 'index' | 'opml' | 'xsl';

export const MAX_LIMIT = 200;

const RENDERERS: Record<FeedFormat, (items: Item[], ctx: FeedContext) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Everything rendered for one store version; replaced whole when the version changes. */
interface Generation {
  version: string;
  renderedAt: Date;
  /** Default-limit feeds and pages: bounded by the configuration. */
  lists: Map<string, Promise<Item[]>>;
  reps: Map<string, Promise<Representation>>;
  /** Default-limit representations already rendered: the request path reads them without awaiting. */
  ready: Map<string, Representation>;
  /** Other `?limit=` values: bounded so clients cycling through limits cannot grow memory or evict defaults. */
  extraLists: LruMap<string, Promise<Item[]>>;
  extraReps: LruMap<string, Promise<Representation>>;
  /** Filtered feeds and the change feeds: each URL its own bytes and ETag, least recently used dropped first. */
  filtered: LruMap<string, Promise<Representation>>;
}

/** Items a feed's browser preview lists. */
const PREVIEW_ITEMS = 20;

/** How many non-default-limit renders one version keeps. */
const EXTRA_LIMIT_ENTRIES = 48;
/**
 * How many recently asked non-default limits (`?limit=10`) a refresh renders before the new version is served:
 * one a reader asks for the moment a version changes would otherwise wait for its store read and compression
 * behind the refresh's own, with every request for it meanwhile (the p99 of `?limit=10` during a crawl).
 */
const HOT_LIMIT_ENTRIES = 8;
/** How many filtered or change-feed renders one version keeps. */
const FILTERED_ENTRIES = 64;
/** A filter looks at this many of a feed's newest items (or changes). */
export const FILTER_SCAN = 1000;
/**
 * publish() renders at most this often: during a crawl of hundreds of sources each run's change would otherwise
 * re-render and re-compress every feed on the serving thread (300 renders for 300 sources); a change waits at most
 * this long (plus a render in flight) to be served.
 */
export const PUBLISH_MIN_INTERVAL_MS = 2_000;

/**
 * Keeps every feed as ready bytes (identity, gzip, brotli) for the current store version. Requests
 * only read these; the store is read once per (feed, limit) per version, never per request.
 */
export class FeedPublisher {
  private readonly options: FeedPublisherOptions;
  private readonly publicUrl: string;
  private readonly categories: Map<string, CategoryInfo>;
  private readonly sources: Map<string, SourceRef>;
  private readonly sourceNames: Map<string, string>;
  private readonly now: () => Date;
  /** Last-Modified of the pages that only change with the configuration (OPML, XSL). */
  private readonly startedAt: Date;
  private gen: Generation | null = null;
  /** The first generation while it renders: a reader then waits for the feed they asked for, not for all of them. */
  private first: Generation | null = null;
  private refreshing: Promise<boolean> | null = null;
  /** When the last render (of a new version) started, Date.now(): publish()'s interval counts from it. */
  private lastRenderAt = Number.NEGATIVE_INFINITY;
  /** The render publish() has scheduled: every change published until it starts shares it. */
  private scheduled: Promise<boolean> | null = null;
  /** Last successful bytes per cache key, served when a render for a newer version fails. */
  private readonly lastGood = new Map<string, Representation>();
  private staticPages = new Map<PageName, Promise<Representation>>();
  /** Category and source feeds requested at the default limit: re-rendered on refresh so readers never wait on the store. */
  private readonly hot = new Map<string, { kind: FeedKind; key: string | null; format: FeedFormat }>();
  /** Feeds recently requested at another limit, warmed on refresh too (HOT_LIMIT_ENTRIES). */
  private readonly hotLimits = new LruMap<string, { kind: FeedKind; key: string | null; format: FeedFormat; limit: number }>(HOT_LIMIT_ENTRIES);

  constructor(options: FeedPublisherOptions) {
    this.options = options;
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.categories = new Map(options.categories.map((c) => [c.slug, c]));
    this.sources = new Map(options.sources.map((s) => [s.id, s]));
    this.sourceNames = new Map(options.sources.map((s) => [s.id, s.name]));
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  get maxItems(): number {
    return this.options.feed.maxItems;
  }

  /** Every feed URL this publisher serves. */
  routes(): FeedRoute[] {
    return feedRoutes(this.publicUrl, this.options.categories, this.options.sources);
  }

  has(kind: FeedKind, key: string | null): boolean {
    if (kind === 'all') return key === null;
    if (key === null) return false;
    return kind === 'category' ? this.categories.has(key) : this.sources.has(key);
  }

  /** Re-renders when store.version() changed; cheap when nothing changed. Returns true if re-rendered. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  /**
   * A change to publish: rendered at once when no render started in the last `publishIntervalMs`, else when that
   * interval has passed and a render in flight (which may have read the store before the change) has ended.
   * Changes published meanwhile share the render; resolves when it is done (true if it re-rendered).
   */
  publish(): Promise<boolean> {
    if (!this.scheduled) {
      const interval = this.options.publishIntervalMs ?? PUBLISH_MIN_INTERVAL_MS;
      const wait = Math.max(0, this.lastRenderAt + interval - Date.now());
      this.scheduled = new Promise<void>((resolve) => (wait === 0 ? resolve() : setTimeout(resolve, wait))).then(async () => {
        while (this.refreshing) await this.refreshing;
        this.scheduled = null;
        return this.refresh();
      });
    }
    return this.scheduled;
  }

  private async doRefresh(): Promise<boolean> {
    try {
      const version = await this.options.store.version();
      if (this.gen && this.gen.version === version) return false;
      this.lastRenderAt = Date.now();
      const gen: Generation = {
        version,
        renderedAt: this.now(),
        lists: new Map(),
        reps: new Map(),
        ready: new Map(),
        extraLists: new LruMap(EXTRA_LIMIT_ENTRIES),
        extraReps: new LruMap(EXTRA_LIMIT_ENTRIES),
        filtered: new LruMap(FILTERED_ENTRIES),
      };
      const limit = this.maxItems;
      if (!this.gen) this.first = gen;
      await Promise.all([
        ...(['rss', 'atom', 'json'] as const).map((format) => this.representation(gen, 'all', null, format, limit)),
        this.indexPage(gen),
      ]);
      // feeds readers already asked for are warmed too; a failure here falls back to their last good bytes
      await Promise.allSettled([
        ...[...this.hot.values()].map((f) => this.representation(gen, f.kind, f.key, f.format, limit)),
        ...[...this.hotLimits.values()].map((f) => this.representation(gen, f.kind, f.key, f.format, f.limit)),
      ]);
      this.gen = gen;
      this.options.logger.debug({ version }, 'feeds re-rendered');
      return true;
    } catch (err) {
      this.options.logger[isStoreOutage(err) ? 'debug' : 'warn']({ err: describeError(err) }, 'feed refresh failed; serving the last good feeds');
      return false;
    } finally {
      this.first = null;
    }
  }

  private async current(): Promise<Generation> {
    if (this.gen) return this.gen;
    const refreshed = this.refresh();
    if (this.first) return this.first;
    await refreshed;
    if (!this.gen) throw new StoreError('STORE_UNAVAILABLE', 'feeds are not available yet: the store did not answer');
    return this.gen;
  }

  /** Pre-rendered bytes (null when the category/source is unknown). limit: undefined → feed.maxItems. */
  async get(
    kind: FeedKind,
    key: string | null,
    format: FeedFormat,
    limit?: number,
    filter: FeedFilter | null = null,
  ): Promise<Representation | null> {
    if (!this.has(kind, key)) return null;
    const n = this.checkLimit(limit);
    if (filter) return this.filteredRepresentation(await this.current(), kind, key, format, n, filter);
    if (n === this.maxItems && kind !== 'all') this.hot.set(`${kind}|${key ?? ''}|${format}`, { kind, key, format });
    else if (n !== this.maxItems) this.hotLimits.set(`${kind}|${key ?? ''}|${format}|${n}`, { kind, key, format, limit: n });
    return this.representation(await this.current(), kind, key, format, n);
  }

  private checkLimit(limit: number | undefined): number {
    const n = limit ?? this.maxItems;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw new PortalfeedError('BAD_REQUEST', `limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    return n;
  }

  /** The filter of a query (`q`, `category`, `source`, `since`), null without one; BAD_REQUEST names a bad parameter. */
  parseFilter(query: URLSearchParams): FeedFilter | null {
    return parseFilter(query, {
      categoryName: (slug) => this.categories.get(slug)?.name,
      sourceName: (id) => this.sources.get(id)?.name,
    });
  }

  /** /changes.xml and /changes.json: revisions and withdrawals, newest first. */
  async getChanges(format: ChangesFormat, limit?: number, filter: FeedFilter | null = null): Promise<Representation> {
    const n = this.checkLimit(limit);
    const gen = await this.current();
    return this.cached(gen, `changes|${format}|${n}|${filter?.key ?? ''}`, 'filtered', async () => {
      const scan = filter ? FILTER_SCAN : n;
      let changes = await this.options.store.changes({ limit: scan, ...(filter?.since ? { since: new Date(filter.since).toISOString() } : {}) });
      if (filter) {
        const needItems = filter.categories.length > 0 || filter.sources.length > 0;
        const ids = needItems ? [...new Set(changes.map((c) => c.itemId))] : [];
        const items = new Map(await Promise.all(ids.map(async (id) => [id, await this.options.store.get(id)] as const)));
        changes = changes.filter((c) => matchesChange(c, items.get(c.itemId) ?? null, filter));
      }
      changes = changes.slice(0, n);
      const ctx = this.changesContext(filter, gen.renderedAt);
      const body = format === 'rss' ? renderChangesRss(changes, ctx) : renderChangesJson(changes, ctx);
      const newest = changes.reduce((t, c) => Math.max(t, Date.parse(c.at), c.restoredAt ? Date.parse(c.restoredAt) : 0), 0);
      return makeRepresentation(body, CHANGES_CONTENT_TYPES[format], newest ? new Date(newest) : gen.renderedAt);
    });
  }

  private changesContext(filter: FeedFilter | null, renderedAt: Date): ChangesContext {
    const feed = this.options.feed;
    const title = `${feed.title} — Bài viết đã sửa hoặc gỡ`;
    return {
      title: filter ? `${title} (lọc: ${filter.label})` : title,
      description: 'Mỗi lần một bài viết được sửa tiêu đề hoặc nội dung, hoặc bị gỡ khỏi cổng: những chữ đã đổi, bài viết gốc.',
      language: feed.language,
      publicUrl: this.publicUrl,
      query: filter?.key ?? '',
      generator: this.options.generator ?? 'portalfeed',
      ttlMinutes: this.options.ttlMinutes ?? 15,
      emptyDate: renderedAt,
    };
  }

  /**
   * A filtered feed: the newest FILTER_SCAN items of the route (of the one category or source when the
   * filter names only that) are read once per version and filtered in memory.
   */
  private filteredRepresentation(
    gen: Generation,
    kind: FeedKind,
    key: string | null,
    format: FeedFormat,
    limit: number,
    filter: FeedFilter,
  ): Promise<Representation> {
    return this.cached(gen, `${kind}|${key ?? ''}|${format}|${limit}|${filter.key}`, 'filtered', async () => {
      const items = await this.filteredItems(gen, kind, key, limit, filter);
      const base = this.context(kind, key, gen.renderedAt);
      const ctx = { ...base, title: `${base.title} (lọc: ${filter.label})`, query: filter.key };
      return makeRepresentation(RENDERERS[format](items, ctx), CONTENT_TYPES[format], feedUpdated(items, ctx));
    });
  }

  private async filteredItems(gen: Generation, kind: FeedKind, key: string | null, limit: number, filter: FeedFilter): Promise<Item[]> {
    const narrowed =
      kind === 'all' && filter.categories.length === 1 && filter.sources.length === 0
        ? { kind: 'category' as const, key: filter.categories[0] as string }
        : kind === 'all' && filter.sources.length === 1 && filter.categories.length === 0
          ? { kind: 'source' as const, key: filter.sources[0] as string }
          : { kind, key };
    const scanned = await this.items(gen, narrowed.kind, narrowed.key, FILTER_SCAN);
    const items: Item[] = [];
    for (const item of scanned) {
      if (items.length >= limit || (filter.since !== null && Date.parse(item.publishedAt) < filter.since)) break;
      if (matchesItem(item, filter)) items.push(item);
    }
    return items;
  }

  /**
   * The rendered bytes of a default-limit feed when they are ready, without a promise: the hot path
   * of the server. Null means "ask get()".
   */
  peek(kind: FeedKind, key: string | null, format: FeedFormat): Representation | null {
    return this.gen?.ready.get(`${kind}|${key ?? ''}|${format}|${this.maxItems}`) ?? null;
  }

  /**
   * The HTML page a browser gets at a feed URL (null when the category/source is unknown), rendered
   * once per store version like the feed itself, from the same item list.
   */
  async getPreview(
    kind: FeedKind,
    key: string | null,
    format: FeedFormat,
    limit?: number,
    filter: FeedFilter | null = null,
  ): Promise<Representation | null> {
    if (!this.has(kind, key)) return null;
    const n = this.checkLimit(limit);
    const gen = await this.current();
    const where = filter ? 'filtered' : n !== this.maxItems;
    return this.cached(gen, `preview|${kind}|${key ?? ''}|${format}|${n}|${filter?.key ?? ''}`, where, async () => {
      const items = filter ? await this.filteredItems(gen, kind, key, n, filter) : await this.items(gen, kind, key, n);
      const ctx = this.context(kind, key, gen.renderedAt);
      // the address to copy is the one asked for: its filter and limit kept
      const params = [filter?.key.replace(/^\?/, ''), limit === undefined ? '' : `limit=${n}`].filter(Boolean).join('&');
      const query = params ? `?${params}` : '';
      const html = renderFeedPreview({
        title: filter ? `${ctx.title} (lọc: ${filter.label})` : ctx.title,
        description: ctx.description,
        language: ctx.language,
        format,
        url: `${feedUrl(ctx, format)}${query}`,
        formats: this.routes()
          .filter((r) => r.kind === kind && r.key === key)
          .map((r) => ({ ...r, url: `${r.url}${query}` })),
        homeUrl: `${this.publicUrl}/`,
        items: items.slice(0, PREVIEW_ITEMS),
        categoryNames: new Map(this.options.categories.map((c) => [c.slug, c.name])),
      });
      return makeRepresentation(html, 'text/html; charset=utf-8', feedUpdated(items, ctx));
    });
  }

  /** The home page (needs the latest items), the OPML list or the XSL stylesheet. */
  async getPage(name: PageName): Promise<Representation> {
    if (name === 'index') return this.indexPage(await this.current());
    let page = this.staticPages.get(name);
    if (!page) {
      page =
        name === 'xsl'
          ? makeRepresentation(FEED_XSL, 'text/xsl; charset=utf-8', this.startedAt)
          : makeRepresentation(this.opml(), 'text/x-opml; charset=utf-8', this.startedAt);
      this.staticPages.set(name, page);
    }
    return page;
  }

  private opml(): string {
    const feeds = this.routes()
      .filter((r) => r.format === 'rss')
      .map((r) => ({
        title: r.kind === 'all' ? this.options.feed.title : `${this.options.feed.title} — ${r.label}`,
        xmlUrl: r.url,
        htmlUrl: r.htmlUrl,
      }));
    return renderOpml(feeds, this.options.feed.title);
  }

  private cached(gen: Generation, cacheKey: string, extra: boolean | 'filtered', make: () => Promise<Representation>): Promise<Representation> {
    const reps = extra === 'filtered' ? gen.filtered : extra ? gen.extraReps : gen.reps;
    let rep = reps.get(cacheKey);
    if (!rep) {
      rep = make().then(
        (value) => {
          if (!extra) {
            this.lastGood.set(cacheKey, value);
            gen.ready.set(cacheKey, value);
          }
          return value;
        },
        (err: unknown) => {
          reps.delete(cacheKey);
          const fallback = this.lastGood.get(cacheKey);
          if (fallback) {
            this.options.logger.warn({ err: describeError(err), cacheKey }, 'feed render failed; serving the last good bytes');
            return fallback;
          }
          throw err;
        },
      );
      reps.set(cacheKey, rep);
    }
    return rep;
  }

  private items(gen: Generation, kind: FeedKind, key: string | null, limit: number): Promise<Item[]> {
    const listKey = `${kind}|${key ?? ''}|${limit}`;
    const lists = limit === this.maxItems ? gen.lists : gen.extraLists;
    let list = lists.get(listKey);
    if (!list) {
      const query = kind === 'category' ? { category: key ?? '', limit } : kind === 'source' ? { source: key ?? '', limit } : { limit };
      list = this.options.store.latest(query);
      list.catch(() => lists.delete(listKey));
      lists.set(listKey, list);
    }
    return list;
  }

  private representation(gen: Generation, kind: FeedKind, key: string | null, format: FeedFormat, limit: number): Promise<Representation> {
    return this.cached(gen, `${kind}|${key ?? ''}|${format}|${limit}`, limit !== this.maxItems, async () => {
      const items = await this.items(gen, kind, key, limit);
      const ctx = this.context(kind, key, gen.renderedAt);
      return makeRepresentation(RENDERERS[format](items, ctx), CONTENT_TYPES[format], feedUpdated(items, ctx));
    });
  }

  private indexPage(gen: Generation): Promise<Representation> {
    return this.cached(gen, 'page|index', false, async () => {
      const latest = await this.items(gen, 'all', null, this.maxItems);
      const html = renderIndexHtml({
        title: this.options.feed.title,
        description: this.options.feed.description,
        language: this.options.feed.language,
        publicUrl: this.publicUrl,
        routes: this.routes(),
        latest,
        categoryNames: new Map(this.options.categories.map((c) => [c.slug, c.name])),
      });
      return makeRepresentation(html, 'text/html; charset=utf-8', feedUpdated(latest, { emptyDate: gen.renderedAt }));
    });
  }

  /** The channel description of one feed. */
  context(kind: FeedKind, key: string | null, renderedAt: Date = this.now()): FeedContext {
    const feed = this.options.feed;
    const category = kind === 'category' && key ? this.categories.get(key) : undefined;
    const source = kind === 'source' && key ? this.sources.get(key) : undefined;
    const label = category?.name ?? source?.name;
    return {
      kind,
      key,
      title: label ? `${feed.title} — ${label}` : feed.title,
      description: category?.description || (source ? `Tin từ ${source.name}` : '') || feed.description,
      language: feed.language,
      siteUrl: source?.baseUrl ?? `${this.publicUrl}/`,
      publicUrl: this.publicUrl,
      path: channelPath(kind, key),
      hub: feed.websubHub,
      categories: this.categories,
      sourceNames: this.sourceNames,
      generator: this.options.generator ?? 'portalfeed',
      ttlMinutes: this.options.ttlMinutes ?? 15,
      emptyDate: renderedAt,
    };
  }
}
