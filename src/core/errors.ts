/**
 * Every error the service raises on purpose carries a stable `code`. HTTP status, log level and
 * crawl error kind are derived from the code in one table, never from class names or messages.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'FETCH_TIMEOUT'
  | 'FETCH_DNS'
  | 'FETCH_TLS'
  | 'FETCH_NETWORK'
  | 'FETCH_HTTP_STATUS'
  | 'FETCH_TOO_LARGE'
  | 'FETCH_TOO_MANY_REDIRECTS'
  | 'FETCH_ROBOTS_DISALLOWED'
  | 'FETCH_ABORTED'
  | 'FETCH_OFFSITE'
  | 'FETCH_BAD_REDIRECT'
  | 'FETCH_BINARY'
  | 'EXTRACT_FAILED'
  | 'STORE_UNAVAILABLE'
  | 'STORE_CORRUPT'
  | 'STORE_FAILED'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'BAD_REQUEST';

/** Coarse kinds used to count crawl errors in summaries, logs and metrics. */
export type ErrorKind =
  | 'timeout'
  | 'dns'
  | 'tls'
  | 'network'
  | 'http_status'
  | 'too_large'
  | 'redirects'
  | 'robots'
  | 'offsite'
  | 'content_type'
  | 'aborted'
  | 'parse'
  | 'store'
  | 'config'
  | 'other';

interface CodeRule {
  status: number;
  level: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  kind: ErrorKind;
}

export const ERROR_RULES: Record<ErrorCode, CodeRule> = {
  CONFIG_INVALID: { status: 500, level: 'fatal', kind: 'config' },
  USAGE: { status: 400, level: 'error', kind: 'config' },
  FETCH_TIMEOUT: { status: 504, level: 'warn', kind: 'timeout' },
  FETCH_DNS: { status: 502, level: 'warn', kind: 'dns' },
  FETCH_TLS: { status: 502, level: 'warn', kind: 'tls' },
  FETCH_NETWORK: { status: 502, level: 'warn', kind: 'network' },
  FETCH_HTTP_STATUS: { status: 502, level: 'warn', kind: 'http_status' },
  FETCH_TOO_LARGE: { status: 502, level: 'warn', kind: 'too_large' },
  FETCH_TOO_MANY_REDIRECTS: { status: 502, level: 'warn', kind: 'redirects' },
  FETCH_ROBOTS_DISALLOWED: { status: 403, level: 'info', kind: 'robots' },
  FETCH_ABORTED: { status: 503, level: 'info', kind: 'aborted' },
  FETCH_OFFSITE: { status: 403, level: 'warn', kind: 'offsite' },
  FETCH_BAD_REDIRECT: { status: 502, level: 'warn', kind: 'redirects' },
  FETCH_BINARY: { status: 415, level: 'info', kind: 'content_type' },
  EXTRACT_FAILED: { status: 422, level: 'warn', kind: 'parse' },
  STORE_UNAVAILABLE: { status: 503, level: 'error', kind: 'store' },
  STORE_CORRUPT: { status: 500, level: 'error', kind: 'store' },
  STORE_FAILED: { status: 500, level: 'error', kind: 'store' },
  NOT_FOUND: { status: 404, level: 'debug', kind: 'other' },
  UNAUTHORIZED: { status: 401, level: 'info', kind: 'other' },
  BAD_REQUEST: { status: 400, level: 'debug', kind: 'other' },
};

export class PortalfeedError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortalfeedError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export class ConfigError extends PortalfeedError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

export class FetchError extends PortalfeedError {
  declare readonly code: Extract<ErrorCode, `FETCH_${string}`>;
  readonly url: string;
  readonly status: number | undefined;

  constructor(
    code: Extract<ErrorCode, `FETCH_${string}`>,
    message: string,
    options: { url: string; status?: number; cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(code, message, options);
    this.name = 'FetchError';
    this.url = options.url;
    this.status = options.status;
  }
}

export class ExtractError extends PortalfeedError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('EXTRACT_FAILED', message, options);
    this.name = 'ExtractError';
  }
}

export class StoreError extends PortalfeedError {
  constructor(code: Extract<ErrorCode, `STORE_${string}`>, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

export function errorCode(err: unknown): ErrorCode | undefined {
  return err instanceof PortalfeedError ? err.code : undefined;
}

export function errorKind(err: unknown): ErrorKind {
  const code = errorCode(err);
  return code ? ERROR_RULES[code].kind : 'other';
}

export function httpStatusOf(err: unknown): number {
  const code = errorCode(err);
  return code ? ERROR_RULES[code].status : 500;
}

export function logLevelOf(err: unknown): CodeRule['level'] {
  const code = errorCode(err);
  return code ? ERROR_RULES[code].level : 'error';
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi;

/** `redis://:secret@host` → `redis://:***@host`: a URL's password never reaches a log line or an error message. */
export function redactUrl(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@');
}

/** One line naming the problem and, through the cause chain, why (URL passwords masked). */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return redactUrl(parts.join(': ')) || 'unknown error';
}

/**
 * The store does not answer. Its client reports each outage once (a warning, then "back"), so everything that
 * merely meets the outage (feed requests, renders, stats) logs it at debug instead of once per call.
 */
export function isStoreOutage(err: unknown): boolean {
  return errorCode(err) === 'STORE_UNAVAILABLE';
}
