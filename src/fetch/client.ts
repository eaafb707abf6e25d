import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { HttpOptions } from '../config/schema.js';
import type { HttpValidators } from '../core/types.js';
import type { Logger } from '../core/log.js';
import { ConfigError, FetchError } from '../core/errors.js';
import { ACCEPT_ENCODING } from './body.js';
import { charsetFromContentType, decodeBody } from './decode.js';
import { AttemptFailure } from './errors.js';
import { abortableSleep, backoffDelay } from './retry.js';
import { isBinaryContentType, mediaType } from './content-type.js';
import type { OriginPolicy } from './origins.js';
import { RobotsCache } from './robots-cache.js';
import { HostScheduler } from './scheduler.js';
import { attemptOnce, header, type AttemptResult, type AttemptSpec, type RequestEvent } from './transport.js';

export type { RequestEvent };

export interface HttpClientOptions extends HttpOptions {
  userAgent: string;
  logger: Logger;
  onRequest?: (event: RequestEvent) => void;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** First backoff ceiling; doubles per retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Backoff ceiling. Default 30 s. */
  retryMaxMs?: number;
  /** A Retry-After longer than this fails the request instead of waiting. Default 5 min. */
  maxRetryAfterMs?: number;
  /** How long robots.txt answers are cached. Defaults: 1 h; 10 min when it could not be fetched. */
  robotsTtlMs?: number;
  robotsErrorTtlMs?: number;
  /** robots.txt Crawl-delay is honoured up to this many ms between requests. Default 30 s; 0 ignores it. */
  maxCrawlDelayMs?: number;
  now?: () => number;
  /** When set, every request and redirect hop off these origins is refused (FETCH_OFFSITE) without being made. */
  origins?: OriginPolicy;
}

export interface FetchRequest {
  url: string;
  validators?: HttpValidators | null;
  signal?: AbortSignal;
  accept?: string;
  /** Accept images, PDFs, archives… (refused with FETCH_BINARY by default: they are not pages). */
  allowBinary?: boolean;
}

export interface FetchResponse {
  url: string;
  status: number;
  notModified: boolean;
  text: string;
  bytes: number;
  contentType: string | null;
  charset: string;
  validators: HttpValidators;
}

export interface HttpStats {
  requests: number;
  bytes: number;
  notModified: number;
  byHost: Record<string, number>;
}

export interface HttpClient {
  get(request: FetchRequest): Promise<FetchResponse>;
  stats(): HttpStats;
  close(): Promise<void>;
}

export const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** Hop options shared by page and robots.txt fetches. */
export interface HopOptions {
  accept: string;
  validators: HttpValidators | null;
  signal: AbortSignal | undefined;
  maxBodyBytes: number;
  truncate?: boolean;
  robots?: boolean;
}

/** The product token robots.txt groups are matched against: `portalfeed/0.1 (+…)` → `portalfeed`. */
export function productTokenOf(userAgent: string): string {
  return (/^[A-Za-z_-]+/.exec(userAgent.trim())?.[0] ?? 'portalfeed').toLowerCase();
}

export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new FetchError('FETCH_NETWORK', `not a valid URL: ${raw}`, { url: raw, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('FETCH_NETWORK', `only http and https URLs are fetched, not ${url.protocol}`, { url: raw });
  }
  url.hash = '';
  return url;
}

function buildAgent(options: HttpClientOptions): Agent {
  let ca: string[] | undefined;
  if (options.ca) {
    try {
      ca = [...rootCertificates, readFileSync(options.ca, 'utf8')];
    } catch (cause) {
      throw new ConfigError(`cannot read the CA file ${options.ca}`, { cause });
    }
  }
  return new Agent({
    connect: { rejectUnauthorized: !options.insecureTLS, ...(ca ? { ca } : {}) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

function abortedError(url: string, signal: AbortSignal | undefined): FetchError {
  return new FetchError('FETCH_ABORTED', `request to ${url} aborted`, { url, cause: signal?.reason });
}

/** An HTTP client with per-host politeness, robots.txt, retries, manual redirects and conditional GET. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  return new PoliteHttpClient(options);
}

class PoliteHttpClient implements HttpClient {
  private readonly agent: Agent;
  private readonly scheduler: HostScheduler;
  private readonly robots: RobotsCache;
  private readonly counters: HttpStats = { requests: 0, bytes: 0, notModified: 0, byHost: {} };

  constructor(private readonly options: HttpClientOptions) {
    this.agent = buildAgent(options);
    this.scheduler = new HostScheduler({ concurrency: options.concurrency, delayMs: options.delayMs });
    this.robots = new RobotsCache({
      token: productTokenOf(options.userAgent),
      fetchHop: (url, hop) => this.fetchHop(url, hop),
      maxRedirects: 5,
      ttlMs: options.robotsTtlMs ?? 3_600_000,
      errorTtlMs: options.robotsErrorTtlMs ?? 600_000,
      now: options.now ?? Date.now,
      logger: options.logger,
    });
  }

  async get(request: FetchRequest): Promise<FetchResponse> {
    let url = parseHttpUrl(request.url);
    const visited = new Set([url.href]);
    const hop: HopOptions = {
      accept: request.accept ?? DEFAULT_ACCEPT,
      validators: request.validators ?? null,
      signal: request.signal,
      maxBodyBytes: this.options.maxBodyBytes,
    };
    let from: URL | null = null;
    for (let redirects = 0; ; redirects++) {
      this.checkOrigin(url, from);
      await this.checkRobots(url, request.signal);
      const result = await this.fetchHop(url, hop);
      if (result.kind !== 'redirect') {
        if (result.kind === 'ok' && !request.allowBinary) checkTextual(url, header(result.headers, 'content-type'));
        return toResponse(url, result, request.validators ?? null, this.counters);
      }
      from = url;
      url = nextHop(url, result, redirects, this.options.maxRedirects, visited);
    }
  }

  private checkOrigin(url: URL, redirectedFrom: URL | null): void {
    const { origins } = this.options;
    if (!origins || origins.allows(url)) return;
    const what = redirectedFrom ? `redirect from ${redirectedFrom.href} to ${url.href}` : url.href;
    throw new FetchError('FETCH_OFFSITE', `${what} is off the source's origins (${origins.describe()}); add its host to allowHosts to fetch it`, {
      url: url.href,
      details: { origin: url.origin, ...(redirectedFrom ? { redirectedFrom: redirectedFrom.href } : {}) },
    });
  }

  stats(): HttpStats {
    return { ...this.counters, byHost: { ...this.counters.byHost } };
  }

  async close(): Promise<void> {
    this.scheduler.close();
    await this.agent.close();
  }

  /** One URL, with retries; each attempt waits for a politeness slot on its host. */
  private async fetchHop(url: URL, hop: HopOptions): Promise<AttemptResult> {
    // robots.txt redirects come through here too.
    this.checkOrigin(url, null);
    for (let attempt = 0; ; attempt++) {
      let release: () => void;
      try {
        release = await this.scheduler.acquire(url.host, hop.signal);
      } catch {
        throw abortedError(url.href, hop.signal);
      }
      let failure: AttemptFailure;
      try {
        return await attemptOnce(this.agent, this.attemptSpec(url, hop, attempt), (event) => this.record(event));
      } catch (err) {
        failure = err instanceof AttemptFailure ? err : new AttemptFailure(abortedError(url.href, hop.signal), false);
      } finally {
        release();
      }
      await this.waitBeforeRetry(url, attempt, failure, hop.signal);
    }
  }

  private attemptSpec(url: URL, hop: HopOptions, attempt: number): AttemptSpec {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: hop.accept,
      'accept-encoding': ACCEPT_ENCODING,
      'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5',
    };
    if (hop.validators?.etag) headers['if-none-match'] = hop.validators.etag;
    if (hop.validators?.lastModified) headers['if-modified-since'] = hop.validators.lastModified;
    return {
      url,
      headers,
      timeoutMs: this.options.timeoutMs,
      maxBodyBytes: hop.maxBodyBytes,
      signal: hop.signal,
      attempt,
      ...(hop.truncate ? { truncate: true } : {}),
      ...(hop.robots ? { robots: true } : {}),
    };
  }

  private async waitBeforeRetry(url: URL, attempt: number, failure: AttemptFailure, signal?: AbortSignal): Promise<void> {
    const { options } = this;
    if (!failure.retryable || attempt >= options.retries) throw failure.error;
    if (failure.retryAfterMs !== null && failure.retryAfterMs > (options.maxRetryAfterMs ?? 300_000)) {
      options.logger.warn({ url: url.href, retryAfterMs: failure.retryAfterMs }, 'Retry-After beyond the cap, giving up');
      throw failure.error;
    }
    const random = options.random ?? Math.random;
    const wait = failure.retryAfterMs ?? backoffDelay(attempt, random, options.retryBaseMs ?? 500, options.retryMaxMs ?? 30_000);
    options.logger.info({ url: url.href, attempt: attempt + 1, waitMs: wait, code: failure.error.code }, 'retrying request');
    try {
      await (options.sleep ?? abortableSleep)(wait, signal);
    } catch {
      throw abortedError(url.href, signal);
    }
    if (signal?.aborted) throw abortedError(url.href, signal);
  }

  private async checkRobots(url: URL, signal?: AbortSignal): Promise<void> {
    if (!this.options.respectRobots) return;
    const { rules, unreachable } = await this.robots.rulesFor(url.origin, signal).catch(() => {
      throw abortedError(url.href, signal);
    });
    const maxCrawlDelay = this.options.maxCrawlDelayMs ?? 30_000;
    this.scheduler.setHostDelay(url.host, rules.crawlDelay === null ? null : Math.min(rules.crawlDelay * 1000, maxCrawlDelay));
    if (rules.isAllowed(url.pathname + url.search)) return;
    if (unreachable && unreachable.code !== 'FETCH_HTTP_STATUS') {
      // The origin itself does not answer (TLS, DNS, network, timeout): say so, not "disallowed".
      throw new FetchError(unreachable.code, `${url.origin} is unreachable (robots.txt: ${unreachable.message})`, {
        url: url.href,
        cause: unreachable,
        details: { robotsUnreachable: unreachable.code },
      });
    }
    const why = unreachable
      ? `robots.txt of ${url.origin} could not be fetched (${unreachable.message}), so the origin counts as disallowed for now`
      : `robots.txt of ${url.origin} disallows ${url.pathname}${url.search}`;
    throw new FetchError('FETCH_ROBOTS_DISALLOWED', why, {
      url: url.href,
      ...(unreachable ? { cause: unreachable, details: { robotsUnreachable: unreachable.code } } : {}),
    });
  }

  private record(event: RequestEvent): void {
    this.counters.requests++;
    this.counters.bytes += event.bytes;
    const host = new URL(event.url).host;
    this.counters.byHost[host] = (this.counters.byHost[host] ?? 0) + 1;
    this.options.logger.debug({ ...event }, 'http request');
    try {
      this.options.onRequest?.(event);
    } catch (err) {
      // A metrics hook must not turn a good response into a failure.
      this.options.logger.warn({ err }, 'onRequest hook threw');
    }
  }
}

function nextHop(
  from: URL,
  result: Extract<AttemptResult, { kind: 'redirect' }>,
  redirects: number,
  maxRedirects: number,
  visited: Set<string>,
): URL {
  let next: URL;
  try {
    next = new URL(result.location, from);
  } catch (cause) {
    throw new FetchError('FETCH_BAD_REDIRECT', `bad redirect Location from ${from.href}`, { url: from.href, status: result.status, cause });
  }
  next.hash = '';
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new FetchError('FETCH_BAD_REDIRECT', `redirect from ${from.href} to unsupported scheme ${next.protocol}`, {
      url: from.href,
      status: result.status,
    });
  }
  if (visited.has(next.href)) {
    throw new FetchError('FETCH_TOO_MANY_REDIRECTS', `redirect loop at ${next.href}`, { url: from.href, details: { loop: true } });
  }
  if (redirects + 1 > maxRedirects) {
    throw new FetchError('FETCH_TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects from ${from.href}`, {
      url: from.href,
      details: { maxRedirects },
    });
  }
  visited.add(next.href);
  return next;
}

function checkTextual(url: URL, contentType: string | null): void {
  if (!isBinaryContentType(contentType)) return;
  throw new FetchError('FETCH_BINARY', `${url.href} is ${mediaType(contentType)}, not a page or feed; not parsed`, {
    url: url.href,
    details: { contentType },
  });
}

function toResponse(
  url: URL,
  result: Exclude<AttemptResult, { kind: 'redirect' }>,
  requestValidators: HttpValidators | null,
  counters: HttpStats,
): FetchResponse {
  const contentType = header(result.headers, 'content-type');
  const etag = header(result.headers, 'etag');
  const lastModified = header(result.headers, 'last-modified');
  if (result.kind === 'notModified') {
    counters.notModified++;
    return {
      url: url.href,
      status: 304,
      notModified: true,
      text: '',
      bytes: result.bytes,
      contentType,
      charset: charsetFromContentType(contentType) ?? 'utf-8',
      validators: { etag: etag ?? requestValidators?.etag ?? null, lastModified: lastModified ?? requestValidators?.lastModified ?? null },
    };
  }
  const decoded = decodeBody(result.body, contentType);
  return {
    url: url.href,
    status: result.status,
    notModified: false,
    text: decoded.text,
    bytes: result.bytes,
    contentType,
    charset: decoded.charset,
    validators: { etag, lastModified },
  };
}
