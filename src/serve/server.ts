import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { CategoryInfo, ItemStore, LeaseHolder, RunQueueSnapshot, SourceHealth } from '../core/types.js';
import { describeError, httpStatusOf, isStoreOutage, logLevelOf } from '../core/errors.js';
import { escapeRegExp } from '../core/text.js';
import { FORMAT_FILES, type FeedFormat, type FeedKind } from '../publish/context.js';
import { indexCsp } from '../publish/html.js';
import { MAX_LIMIT, type FeedPublisher, type PageName } from '../publish/publisher.js';
import { channelPath } from '../publish/routes.js';
import { CHANGES_FILES, type ChangesFormat } from '../publish/changes.js';
import type { FeedFilter } from '../publish/filter.js';
import { wantsHtmlPreview } from './negotiate.js';
import { CORS_HEADERS, representationHeaders, sendJson, sendRepresentation, sendText, type Headers } from './respond.js';

export interface ServerOptions {
  publisher: FeedPublisher;
  store: ItemStore;
  metrics: Metrics;
  logger: Logger;
  publicUrl: string;
  categories: CategoryInfo[];
  sources: Array<{ id: string; name: string; baseUrl: string; schedule: string }>;
  /** The lead derives it from the crawl schedules. */
  cacheMaxAgeSeconds: number;
  /** Provided by the crawl scheduler. */
  health: () => SourceHealth[];
  /** The crawl queue under `crawl.concurrency`, shown by /healthz. */
  crawlQueue?: () => RunQueueSnapshot;
  /** Who holds each source's crawl lease (any replica), shown by /readyz. */
  leaseHolders?: () => Promise<Record<string, LeaseHolder | null>>;
  adminToken: string | null;
  /** Triggers a crawl of one source (or all when null). */
  onAdminCrawl?: (sourceId: string | null) => { accepted: boolean; reason?: string };
  websubHub: string | null;
}

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  query: URLSearchParams;
  params: readonly string[];
}

interface Route {
  template: string;
  pattern: RegExp;
  methods: string[];
  handle: (ctx: RequestContext) => Promise<void> | void;
}

interface RouteMatch {
  route: Route;
  params: readonly string[];
}

const NO_PARAMS: readonly string[] = [];
const READ_METHODS = ['GET', 'HEAD'];
const ADMIN_BODY_LIMIT = 4096;
const PING_TIMEOUT_MS = 3000;

const KIND_PATHS: Array<{ kind: FeedKind; prefix: string; param: string }> = [
  { kind: 'all', prefix: '', param: '' },
  { kind: 'category', prefix: '/category/([^/]+)', param: ':slug' },
  { kind: 'source', prefix: '/source/([^/]+)', param: ':id' },
];

/** A feed URL's answer depends on these: the coding, and whether a browser or a reader asks. */
const FEED_VARY = 'Accept, Accept-Encoding, Sec-Fetch-Dest';

const KIND_LABELS: Record<FeedKind, string> = { all: 'feed', category: 'category', source: 'source' };

const feedHeaderKey = (kind: FeedKind, key: string | null, format: FeedFormat): string => `${kind}|${key ?? ''}|${format}`;

/** Parses `?limit=`: undefined when absent, a number 1–200, or an error message. */
export function parseLimit(query: URLSearchParams): number | undefined | { error: string } {
  const raw = query.get('limit');
  if (raw === null) return undefined;
  if (!/^\d{1,4}$/.test(raw)) return { error: `limit must be an integer from 1 to ${MAX_LIMIT}` };
  const n = Number(raw);
  return n >= 1 && n <= MAX_LIMIT ? n : { error: `limit must be an integer from 1 to ${MAX_LIMIT}` };
}

/** Shared by every request without a query string; only ever read. */
const NO_QUERY = new URLSearchParams();

function splitTarget(url: string | undefined): { path: string; query: URLSearchParams } {
  let raw = url ?? '/';
  if (raw.charCodeAt(0) !== 0x2f && /^https?:\/\//i.test(raw)) {
    try {
      const parsed = new URL(raw);
      raw = parsed.pathname + parsed.search;
    } catch {
      raw = '/';
    }
  }
  const q = raw.indexOf('?');
  return q >= 0 ? { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) } : { path: raw, query: NO_QUERY };
}

function decodeParam(value: string | undefined): string | null {
  try {
    return value === undefined ? null : decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Compares secrets in constant time whatever their lengths (hashes have equal length). */
function secretEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most `limit` bytes of a request body; false when it is larger. */
function drainBody(req: IncomingMessage, limit: number): Promise<boolean> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        resolve(false);
      }
    });
    req.on('end', () => resolve(size <= limit));
    req.on('error', () => resolve(false));
  });
}

class FeedServer {
  private readonly routes: Route[];
  private readonly cacheHeaders: Headers;
  private readonly sourceIds: Set<string>;
  /** Paths without parameters, found (match made once) without trying every pattern. */
  private readonly exactRoutes: Map<string, RouteMatch>;
  private readonly htmlHeaders: Headers = {
    'Content-Security-Policy': indexCsp(),
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };

  /** Feed URLs answer browsers with an HTML page: caches must keep the two apart. */
  private readonly previewHeaders: Headers;
  private readonly changesHeaders: Headers;
  /** Every feed URL's headers (its self link among them), keyed `kind|key|format`, made once. */
  private readonly feedHeaderTable: Map<string, Headers>;

  constructor(private readonly options: ServerOptions) {
    this.cacheHeaders = { 'Cache-Control': `public, max-age=${Math.max(0, Math.floor(options.cacheMaxAgeSeconds))}`, ...CORS_HEADERS };
    this.previewHeaders = representationHeaders({ ...this.cacheHeaders, ...this.htmlHeaders, Vary: FEED_VARY });
    this.changesHeaders = representationHeaders(this.cacheHeaders);
    this.feedHeaderTable = new Map(
      this.channels().flatMap(({ kind, key }) =>
        (Object.keys(FORMAT_FILES) as FeedFormat[]).map((format) => [feedHeaderKey(kind, key, format), this.buildFeedHeaders(kind, key, format)]),
      ),
    );
    this.sourceIds = new Set(options.sources.map((s) => s.id));
    this.routes = [...this.feedRouteTable(), ...this.otherRoutes()];
    this.exactRoutes = new Map(this.routes.filter((r) => !r.template.includes(':')).map((route) => [route.template, { route, params: NO_PARAMS }]));
  }

  private feedRouteTable(): Route[] {
    return KIND_PATHS.flatMap(({ kind, prefix, param }) =>
      (Object.entries(FORMAT_FILES) as Array<[FeedFormat, string]>).map(([format, file]) => ({
        template: `${prefix ? `/${kind}/${param}` : ''}/${file}`,
        pattern: new RegExp(`^${prefix}/${escapeRegExp(file)}$`),
        methods: READ_METHODS,
        handle: (ctx: RequestContext) => this.serveFeed(ctx, kind, format),
      })),
    );
  }

  private otherRoutes(): Route[] {
    const page = (name: PageName, extra: Headers) => {
      const headers = representationHeaders({ ...this.cacheHeaders, ...extra });
      return (ctx: RequestContext) => this.servePage(ctx, name, headers);
    };
    const route = (template: string, handle: Route['handle'], methods = READ_METHODS): Route => ({
      template,
      pattern: new RegExp(`^${escapeRegExp(template)}$`),
      methods,
      handle,
    });
    return [
      route('/', page('index', this.htmlHeaders)),
      route('/opml.xml', page('opml', {})),
      route('/feed.xsl', page('xsl', {})),
      ...(Object.entries(CHANGES_FILES) as Array<[ChangesFormat, string]>).map(([format, file]) =>
        route(`/${file}`, (ctx) => this.serveChanges(ctx, format)),
      ),
      route('/healthz', (ctx) =>
        sendJson(ctx.res, 200, { status: 'ok', ...(this.options.crawlQueue ? { crawl: this.options.crawlQueue() } : {}) }, CORS_HEADERS),
      ),
      route('/readyz', (ctx) => this.readyz(ctx)),
      route('/metrics', (ctx) => this.metricsRoute(ctx)),
      ...(this.options.adminToken ? [route('/admin/crawl', (ctx) => this.adminCrawl(ctx), ['POST'])] : []),
    ];
  }

  /**
   * Answers one request. Synchronous when the answer is ready (a rendered feed, a 304), so the hot
   * path allocates no promise; a handler that must wait returns one.
   */
  handle(req: IncomingMessage, res: ServerResponse): void {
    let template = 'unmatched';
    let pending: void | Promise<void> = undefined;
    try {
      const { path, query } = splitTarget(req.url);
      const found = this.match(path);
      if (found) template = found.route.template;
      pending = found ? this.dispatch(found, { req, res, path, query, params: found.params }) : sendText(res, 404, 'Not found');
    } catch (err) {
      this.fail(res, err);
    }
    // Every handler has written its status line by the time it returns or resolves.
    const { requestTally } = this.options.metrics;
    if (!pending) return requestTally.count(template, res.statusCode);
    pending.catch((err: unknown) => this.fail(res, err)).finally(() => requestTally.count(template, res.statusCode));
  }

  private dispatch(found: { route: Route }, ctx: RequestContext): void | Promise<void> {
    const { route } = found;
    const method = ctx.req.method ?? 'GET';
    if (method === 'OPTIONS' && route.methods.includes('GET')) return this.preflight(ctx.res);
    if (!route.methods.includes(method)) {
      const allow = route.methods.includes('GET') ? [...route.methods, 'OPTIONS'] : route.methods;
      return sendText(ctx.res, 405, 'Method not allowed', { Allow: allow.join(', ') });
    }
    return route.handle(ctx);
  }

  private match(path: string): RouteMatch | null {
    const exact = this.exactRoutes.get(path);
    if (exact) return exact;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (m) return { route, params: m.slice(1).map((p) => p ?? '') };
    }
    return null;
  }

  private fail(res: ServerResponse, err: unknown): void {
    const status = httpStatusOf(err);
    this.options.logger[isStoreOutage(err) ? 'debug' : logLevelOf(err)]({ err: describeError(err) }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const retry: Headers = status === 503 ? { 'Retry-After': 30 } : {};
    sendText(res, status, status >= 500 ? 'Service temporarily unavailable' : describeError(err), retry);
  }

  private preflight(res: ServerResponse): void {
    res.writeHead(204, {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since, Cache-Control',
      'Access-Control-Max-Age': 86400,
      'Content-Length': 0,
    });
    res.end();
  }

  private serveFeed(ctx: RequestContext, kind: FeedKind, format: FeedFormat): void | Promise<void> {
    const limit = parseLimit(ctx.query);
    if (typeof limit === 'object') return sendText(ctx.res, 400, limit.error, CORS_HEADERS);
    const key = kind === 'all' ? null : decodeParam(ctx.params[0]);
    const { publisher } = this.options;
    if (kind !== 'all' && (key === null || !publisher.has(kind, key))) {
      return sendText(ctx.res, 404, `Unknown ${KIND_LABELS[kind]}: ${key ?? ''}`.slice(0, 200), CORS_HEADERS);
    }
    const filter = this.filterOf(ctx);
    if (filter === 'rejected') return;
    if (wantsHtmlPreview(ctx.req.headers)) return this.servePreview(ctx, kind, key, format, limit, filter);
    const ready = limit === undefined && !filter ? publisher.peek(kind, key, format) : null;
    if (ready) return sendRepresentation(ctx.req, ctx.res, ready, this.feedHeaders(kind, key, format));
    return this.serveRendered(ctx, kind, key, format, limit, filter);
  }

  private async serveRendered(
    ctx: RequestContext,
    kind: FeedKind,
    key: string | null,
    format: FeedFormat,
    limit?: number,
    filter: FeedFilter | null = null,
  ): Promise<void> {
    const rep = await this.options.publisher.get(kind, key, format, limit, filter);
    if (!rep) return sendText(ctx.res, 404, `Unknown ${KIND_LABELS[kind]}`, CORS_HEADERS);
    sendRepresentation(ctx.req, ctx.res, rep, this.feedHeaders(kind, key, format));
  }

  /** The request's filter; a bad parameter is answered here with a 400 naming it. Requests without a query string skip this. */
  private filterOf(ctx: RequestContext): FeedFilter | null | 'rejected' {
    if (ctx.query === NO_QUERY) return null;
    try {
      return this.options.publisher.parseFilter(ctx.query);
    } catch (err) {
      sendText(ctx.res, httpStatusOf(err), describeError(err).slice(0, 300), CORS_HEADERS);
      return 'rejected';
    }
  }

  private async serveChanges(ctx: RequestContext, format: ChangesFormat): Promise<void> {
    const limit = parseLimit(ctx.query);
    if (typeof limit === 'object') return sendText(ctx.res, 400, limit.error, CORS_HEADERS);
    const filter = this.filterOf(ctx);
    if (filter === 'rejected') return;
    const rep = await this.options.publisher.getChanges(format, limit, filter);
    sendRepresentation(ctx.req, ctx.res, rep, this.changesHeaders);
  }

  /** A browser's view of a feed URL: an HTML page about the feed, with the page's own ETag. */
  private async servePreview(
    ctx: RequestContext,
    kind: FeedKind,
    key: string | null,
    format: FeedFormat,
    limit?: number,
    filter: FeedFilter | null = null,
  ): Promise<void> {
    const rep = await this.options.publisher.getPreview(kind, key, format, limit, filter);
    if (!rep) return sendText(ctx.res, 404, `Unknown ${KIND_LABELS[kind]}`, CORS_HEADERS);
    sendRepresentation(ctx.req, ctx.res, rep, this.previewHeaders);
  }

  /** The channels whose feeds exist: everything, each category, each source. */
  private channels(): Array<{ kind: FeedKind; key: string | null }> {
    return [
      { kind: 'all', key: null },
      ...this.options.categories.map((c) => ({ kind: 'category' as const, key: c.slug })),
      ...this.options.sources.map((s) => ({ kind: 'source' as const, key: s.id })),
    ];
  }

  private feedHeaders(kind: FeedKind, key: string | null, format: FeedFormat): Headers {
    return this.feedHeaderTable.get(feedHeaderKey(kind, key, format)) ?? this.buildFeedHeaders(kind, key, format);
  }

  private buildFeedHeaders(kind: FeedKind, key: string | null, format: FeedFormat): Headers {
    const path = `${channelPath(kind, key)}/${FORMAT_FILES[format]}`;
    const hub = this.options.websubHub;
    const self = `${this.options.publicUrl.replace(/\/+$/, '')}${path}`;
    return representationHeaders({ ...this.cacheHeaders, Vary: FEED_VARY, ...(hub ? { Link: `<${hub}>; rel="hub", <${self}>; rel="self"` } : {}) });
  }

  private async servePage(ctx: RequestContext, name: PageName, headers: Headers): Promise<void> {
    const rep = await this.options.publisher.getPage(name);
    sendRepresentation(ctx.req, ctx.res, rep, headers);
  }

  private async metricsRoute(ctx: RequestContext): Promise<void> {
    const { registry } = this.options.metrics;
    const body = Buffer.from(await registry.metrics(), 'utf8');
    ctx.res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
  }

  private async readyz(ctx: RequestContext): Promise<void> {
    const { store } = this.options;
    const storeStatus: { kind: string; ok: boolean; error?: string } = { kind: store.kind, ok: true };
    try {
      await withTimeout(store.ping(), PING_TIMEOUT_MS, 'store');
    } catch (err) {
      storeStatus.ok = false;
      storeStatus.error = describeError(err);
    }
    const holders =
      storeStatus.ok && this.options.leaseHolders
        ? await withTimeout(this.options.leaseHolders(), PING_TIMEOUT_MS, 'store').catch(() => ({}) as Record<string, LeaseHolder | null>)
        : {};
    const sources = this.options.health().map((health) => {
      const holder = holders[health.id];
      return { ...health, lease: holder ? { host: holder.host, pid: holder.pid, until: new Date(holder.expiresAt).toISOString() } : null };
    });
    const crawled = sources.some((s) => s.lastSuccessAt !== null);
    let items: number | null = null;
    if (storeStatus.ok && !crawled) {
      items = await withTimeout(store.stats(), PING_TIMEOUT_MS, 'store').then(
        (s) => s.items,
        () => null,
      );
    }
    const ready = storeStatus.ok && (crawled || (items ?? 0) > 0);
    const reason = !storeStatus.ok
      ? `store unavailable: ${storeStatus.error ?? ''}`
      : ready
        ? undefined
        : 'no source has crawled successfully yet and the store holds no items';
    sendJson(ctx.res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not_ready',
      ...(reason ? { reason } : {}),
      store: storeStatus,
      ...(items !== null ? { items } : {}),
      sources,
    });
  }

  private async adminCrawl(ctx: RequestContext): Promise<void> {
    const token = this.options.adminToken ?? '';
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
    if (!auth?.[1] || !secretEquals(auth[1], token)) {
      return sendText(ctx.res, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="portalfeed"' });
    }
    if (!(await drainBody(ctx.req, ADMIN_BODY_LIMIT))) {
      return sendText(ctx.res, 413, 'Request body too large', { Connection: 'close' });
    }
    const source = ctx.query.get('source');
    if (source !== null && !this.sourceIds.has(source)) return sendText(ctx.res, 404, `Unknown source: ${source}`.slice(0, 200));
    if (!this.options.onAdminCrawl) return sendText(ctx.res, 503, 'Crawling is not available in this process');
    const result = this.options.onAdminCrawl(source);
    this.options.logger.info({ source, accepted: result.accepted, reason: result.reason }, 'admin crawl requested');
    if (result.accepted) return sendJson(ctx.res, 202, { accepted: true, source });
    sendJson(ctx.res, 409, { accepted: false, source, reason: result.reason ?? 'a crawl is already running' });
  }
}

/** The HTTP server (not listening yet): feeds, OPML, index page, health, readiness, metrics and the admin crawl trigger. */
export function createServer(options: ServerOptions): Server {
  const app = new FeedServer(options);
  const server = createHttpServer({ maxHeaderSize: 16 * 1024, headersTimeout: 15_000, requestTimeout: 30_000 }, (req, res) => {
    app.handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
