import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FetchError, StoreError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/log.js';
import { toFetchError } from '../../src/fetch/errors.js';

function capture(level: string): { log: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const log = createLogger({ level, destination: stream });
  return {
    log,
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The chain undici and Node hand the fetch layer when a host does not resolve. */
function dnsFailure(): FetchError {
  const lookup = Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND', hostname: 'no-such-host.invalid' });
  return toFetchError(lookup, 'http://no-such-host.invalid/');
}

describe('error fields in logs', () => {
  it.each(['warn', 'info'])('at %s: no stack, the cause chain once', async (level) => {
    const { log, lines } = capture(level);
    log.warn({ err: dnsFailure(), source: 'a' }, 'listing page failed');
    log.warn(
      { err: new FetchError('FETCH_HTTP_STATUS', 'HTTP 404 from http://127.0.0.1/x', { url: 'http://127.0.0.1/x', status: 404 }) },
      'article failed',
    );
    await new Promise((resolve) => setImmediate(resolve));
    const [dns, notFound] = lines();
    expect(JSON.stringify(lines())).not.toMatch(/"stack"|\\n\s+at /);
    expect(dns!.err).toEqual({
      type: 'FetchError',
      code: 'FETCH_DNS',
      url: 'http://no-such-host.invalid/',
      message: 'dns error fetching http://no-such-host.invalid/: getaddrinfo ENOTFOUND no-such-host.invalid',
    });
    expect(JSON.stringify(dns).match(/ENOTFOUND no-such-host/g)).toHaveLength(1);
    expect(notFound!.err).toMatchObject({ type: 'FetchError', code: 'FETCH_HTTP_STATUS', status: 404, message: 'HTTP 404 from http://127.0.0.1/x' });
  });

  it('at debug: the stack of the error and of its causes, each once', async () => {
    const { log, lines } = capture('debug');
    log.warn({ err: dnsFailure() }, 'listing page failed');
    await new Promise((resolve) => setImmediate(resolve));
    const err = lines()[0]!.err as { stack: string; message: string };
    expect(err.stack).toMatch(/^FetchError: dns error fetching .*\n\s+at /);
    expect(err.stack).toMatch(/\ncaused by: Error: getaddrinfo ENOTFOUND no-such-host\.invalid\n\s+at /);
    expect(err.message.match(/ENOTFOUND/g)).toHaveLength(1);
  });

  it('keeps details and folds a store error with its cause into one message', async () => {
    const { log, lines } = capture('warn');
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    log.error({ err: new StoreError('STORE_UNAVAILABLE', 'Redis unavailable', { cause, details: { op: 'upsert' } }) }, 'store failed');
    log.error({ err: Object.assign(new AggregateError([cause, cause]), { code: 'ECONNREFUSED' }) }, 'connect failed');
    await new Promise((resolve) => setImmediate(resolve));
    const [store, aggregate] = lines();
    expect(store!.err).toEqual({
      type: 'StoreError',
      code: 'STORE_UNAVAILABLE',
      message: 'Redis unavailable: connect ECONNREFUSED 127.0.0.1:6379',
      details: { op: 'upsert' },
    });
    expect(aggregate!.err).toMatchObject({ type: 'AggregateError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6379' });
  });
});
