import type { Logger } from '../core/log.js';
import type { FetchError } from '../core/errors.js';
import type { HopOptions } from './client.js';
import { AttemptFailure } from './errors.js';
import { ALLOW_ALL, DISALLOW_ALL, ROBOTS_MAX_BYTES, parseRobots, type RobotsRules } from './robots.js';
import type { AttemptResult } from './transport.js';

interface Entry {
  rules: RobotsRules;
  unreachable: FetchError | null;
  expiresAt: number;
  /** Rules from the last successful fetch, reused while the file is unreachable (RFC 9309 §2.4). */
  lastGood: RobotsRules | null;
  pending: Promise<RobotsAnswer> | null;
}

export interface RobotsCacheOptions {
  token: string;
  fetchHop: (url: URL, hop: HopOptions) => Promise<AttemptResult>;
  maxRedirects: number;
  ttlMs: number;
  errorTtlMs: number;
  now: () => number;
  logger: Logger;
}

type Verdict = { rules: RobotsRules; good: boolean; reachable: boolean; error?: FetchError };

/** What rulesFor hands back: the rules and, when the file could not be fetched, why. */
export interface RobotsAnswer {
  rules: RobotsRules;
  unreachable: FetchError | null;
}

/** Status of the robots.txt answer → what it means for the origin (RFC 9309 §2.3.1). */
function verdictForStatus(status: number, token: string, body?: Buffer): Verdict {
  if (status >= 200 && status < 300) return { rules: parseRobots(body?.toString('utf8') ?? '', token), good: true, reachable: true };
  // "Unavailable": any 4xx but 429 means no restrictions.
  if (status >= 400 && status < 500 && status !== 429) return { rules: ALLOW_ALL, good: false, reachable: true };
  return { rules: DISALLOW_ALL, good: false, reachable: false };
}

/** robots.txt per origin: fetched once, shared by concurrent callers, cached, never thrown past the client. */
export class RobotsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: RobotsCacheOptions) {}

  /** Rejects only when the caller's signal aborts while waiting. */
  async rulesFor(origin: string, signal?: AbortSignal): Promise<RobotsAnswer> {
    const entry = this.entries.get(origin);
    if (entry && !entry.pending && entry.expiresAt > this.options.now()) return { rules: entry.rules, unreachable: entry.unreachable };
    const pending = entry?.pending ?? this.refresh(origin, entry ?? null);
    return signal ? raceAbort(pending, signal) : pending;
  }

  private refresh(origin: string, previous: Entry | null): Promise<RobotsAnswer> {
    const entry: Entry = previous ?? { rules: ALLOW_ALL, unreachable: null, expiresAt: 0, lastGood: null, pending: null };
    this.entries.set(origin, entry);
    entry.pending = this.load(origin).then((verdict) => {
      const fallback = !verdict.reachable && entry.lastGood;
      entry.rules = fallback ? (entry.lastGood as RobotsRules) : verdict.rules;
      entry.unreachable = fallback ? null : (verdict.error ?? null);
      if (verdict.good) entry.lastGood = verdict.rules;
      entry.expiresAt = this.options.now() + (verdict.reachable ? this.options.ttlMs : this.options.errorTtlMs);
      entry.pending = null;
      return { rules: entry.rules, unreachable: entry.unreachable };
    });
    return entry.pending;
  }

  private async load(origin: string): Promise<Verdict> {
    let url = new URL('/robots.txt', origin);
    const hop: HopOptions = {
      accept: 'text/plain,*/*;q=0.5',
      validators: null,
      signal: undefined,
      maxBodyBytes: ROBOTS_MAX_BYTES,
      truncate: true,
      robots: true,
    };
    for (let redirects = 0; redirects <= this.options.maxRedirects; redirects++) {
      let result: AttemptResult;
      try {
        result = await this.options.fetchHop(url, hop);
      } catch (err) {
        const error = (err instanceof AttemptFailure ? err.error : err) as FetchError;
        if (error.code === 'FETCH_HTTP_STATUS' && error.status !== undefined) {
          return { ...verdictForStatus(error.status, this.options.token), error };
        }
        // Redirected off the source's origins: not fetched, so the file counts as unavailable (RFC 9309, like 4xx).
        if (error.code === 'FETCH_OFFSITE') return { rules: ALLOW_ALL, good: false, reachable: true };
        this.options.logger.warn({ origin, code: error.code, err: error.message }, 'robots.txt unreachable; disallowing the origin for now');
        return { rules: DISALLOW_ALL, good: false, reachable: false, error };
      }
      if (result.kind === 'ok') return verdictForStatus(result.status, this.options.token, result.body);
      if (result.kind === 'notModified') return { rules: ALLOW_ALL, good: false, reachable: true };
      url = new URL(result.location, url);
    }
    // More than five redirects: RFC 9309 lets crawlers treat the file as unavailable.
    return { rules: ALLOW_ALL, good: false, reachable: true };
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
