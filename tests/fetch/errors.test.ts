import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyError, parseRetryAfter } from '../../src/fetch/index.js';
import { isRetryableStatus } from '../../src/fetch/retry.js';

const withCode = (code: string): Error => Object.assign(new Error(code), { code });

describe('classifyError (the one error table)', () => {
  it.each([
    ['ENOTFOUND', 'FETCH_DNS', false],
    ['EAI_AGAIN', 'FETCH_DNS', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'FETCH_TIMEOUT', true],
    ['UND_ERR_BODY_TIMEOUT', 'FETCH_TIMEOUT', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'FETCH_TIMEOUT', true],
    ['ETIMEDOUT', 'FETCH_TIMEOUT', true],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'FETCH_TLS', false],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'FETCH_TLS', false],
    ['CERT_HAS_EXPIRED', 'FETCH_TLS', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'FETCH_TLS', false],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'FETCH_TLS', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'FETCH_TLS', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'FETCH_TLS', false],
    ['ECONNRESET', 'FETCH_NETWORK', true],
    ['ECONNREFUSED', 'FETCH_NETWORK', true],
    ['UND_ERR_SOCKET', 'FETCH_NETWORK', true],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'FETCH_NETWORK', true],
    ['EPIPE', 'FETCH_NETWORK', true],
    ['Z_DATA_ERROR', 'FETCH_NETWORK', false],
    ['ERR_BUFFER_TOO_LARGE', 'FETCH_TOO_LARGE', false],
    ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'FETCH_TOO_LARGE', false],
    ['SOMETHING_NEW', 'FETCH_NETWORK', true],
  ])('%s → %s (retryable %s)', (code, expected, retryable) => {
    expect(classifyError(withCode(code))).toEqual({ code: expected, retryable });
  });

  it('looks through the cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: new Error('socket', { cause: withCode('ENOTFOUND') }) });
    expect(classifyError(wrapped).code).toBe('FETCH_DNS');
  });
});

describe('retry policy', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [429, true],
    [408, true],
    [501, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [410, false],
  ])('status %i retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 5 ', 5_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
    ['Wed, 21 Oct 2015 07:26:00 GMT', 0],
    ['-1', null],
    ['soon', null],
    ['', null],
    [undefined, null],
  ])('Retry-After %j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(expected);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0.999, 100, 10_000))).toEqual([99, 199, 399, 799]);
    expect(backoffDelay(20, () => 0.5, 100, 10_000)).toBe(5_000);
    expect(backoffDelay(3, () => 0, 100, 10_000)).toBe(0);
  });
});
