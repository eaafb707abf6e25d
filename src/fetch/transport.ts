import type { Agent } from 'undici';
import { FetchError, errorKind, type ErrorKind } from '../core/errors.js';
import { AttemptFailure, classifyError, toFetchError } from './errors.js';
import { BodyTooLargeError, decodeContent, readLimited } from './body.js';
import { RETRY_AFTER_STATUSES, isRetryableStatus, parseRetryAfter } from './retry.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface RequestEvent {
  url: string;
  method: string;
  status?: number;
  errorKind?: ErrorKind;
  bytes: number;
  ms: number;
  attempt: number;
  /** True for robots.txt requests. */
  robots?: boolean;
}

export type AttemptResult =
  | { kind: 'ok'; status: number; headers: ResponseHeaders; body: Buffer; bytes: number }
  | { kind: 'notModified'; status: 304; headers: ResponseHeaders; bytes: number }
  | { kind: 'redirect'; status: number; headers: ResponseHeaders; location: string; bytes: number };

export interface AttemptSpec {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Keep the first maxBodyBytes instead of failing (robots.txt). */
  truncate?: boolean;
  signal: AbortSignal | undefined;
  attempt: number;
  robots?: boolean;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export function header(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** One HTTP exchange, body included, under one deadline. Throws AttemptFailure. */
export async function attemptOnce(agent: Agent, spec: AttemptSpec, onEvent: (event: RequestEvent) => void): Promise<AttemptResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${spec.timeoutMs} ms`));
  }, spec.timeoutMs);
  const onCallerAbort = (): void => controller.abort(spec.signal?.reason);
  spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const tally = { bytes: 0, status: undefined as number | undefined };
  let failure: AttemptFailure | null = null;
  try {
    if (spec.signal?.aborted) throw spec.signal.reason;
    const res = await agent.request({
      origin: spec.url.origin,
      path: spec.url.pathname + spec.url.search,
      method: 'GET',
      headers: spec.headers,
      signal: controller.signal,
      headersTimeout: spec.timeoutMs,
      bodyTimeout: spec.timeoutMs,
    });
    tally.status = res.statusCode;
    return await handleResponse(res.statusCode, res.headers, res.body, spec, tally);
  } catch (err) {
    failure = toFailure(err, spec, { timedOut, status: tally.status });
    throw failure;
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onCallerAbort);
    onEvent({
      url: spec.url.href,
      method: 'GET',
      ...(tally.status === undefined ? {} : { status: tally.status }),
      ...(failure ? { errorKind: errorKind(failure.error) } : {}),
      bytes: tally.bytes,
      ms: Math.round(performance.now() - started),
      attempt: spec.attempt,
      ...(spec.robots ? { robots: true } : {}),
    });
  }
}

type Body = Parameters<typeof readLimited>[0] & { dump(opts?: { limit?: number }): Promise<void> };

async function handleResponse(
  status: number,
  headers: ResponseHeaders,
  body: Body,
  spec: AttemptSpec,
  tally: { bytes: number },
): Promise<AttemptResult> {
  const location = header(headers, 'location');
  if (REDIRECT_STATUSES.has(status) && location) {
    await body.dump().catch(() => undefined);
    return { kind: 'redirect', status, headers, location, bytes: 0 };
  }
  if (status === 304) {
    await body.dump().catch(() => undefined);
    return { kind: 'notModified', status: 304, headers, bytes: 0 };
  }
  if (status < 200 || status > 299) {
    await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(headers['retry-after']) : null;
    const error = new FetchError('FETCH_HTTP_STATUS', `HTTP ${status} from ${spec.url.href}`, {
      url: spec.url.href,
      status,
      ...(retryAfterMs === null ? {} : { details: { retryAfterMs } }),
    });
    throw new AttemptFailure(error, isRetryableStatus(status), retryAfterMs);
  }
  const declared = Number(header(headers, 'content-length') ?? Number.NaN);
  if (!spec.truncate && Number.isFinite(declared) && declared > spec.maxBodyBytes) {
    body.destroy();
    throw new BodyTooLargeError(spec.maxBodyBytes, 'declared');
  }
  const raw = await readLimited(body, spec.maxBodyBytes, {
    truncate: spec.truncate ?? false,
    onBytes: (n) => (tally.bytes += n),
  });
  const decoded = await decodeContent(raw, header(headers, 'content-encoding'), spec.maxBodyBytes);
  return { kind: 'ok', status, headers, body: decoded, bytes: tally.bytes };
}

function toFailure(err: unknown, spec: AttemptSpec, state: { timedOut: boolean; status: number | undefined }): AttemptFailure {
  if (err instanceof AttemptFailure) return err;
  const url = spec.url.href;
  if (state.timedOut) {
    const error = new FetchError('FETCH_TIMEOUT', `no complete answer from ${url} within ${spec.timeoutMs} ms`, { url, cause: err });
    return new AttemptFailure(error, true);
  }
  if (spec.signal?.aborted) {
    return new AttemptFailure(new FetchError('FETCH_ABORTED', `request to ${url} aborted`, { url, cause: err }), false);
  }
  const { retryable } = classifyError(err);
  return new AttemptFailure(toFetchError(err, url, state.status), retryable);
}
