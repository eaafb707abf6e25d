import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StoreError, describeError, redactUrl } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/log.js';

describe('secrets stay out of logs and error messages', () => {
  it.each([
    ['redis://:s3cret@10.0.0.5:6379/0', 'redis://:***@10.0.0.5:6379/0'],
    ['rediss://app:s3cret@redis.internal:6380', 'rediss://app:***@redis.internal:6380'],
    ['connect to redis://u:p%40ss@h:1 failed', 'connect to redis://u:***@h:1 failed'],
    ['redis://redis.internal:6379', 'redis://redis.internal:6379'],
    ['https://portal.example/a@b', 'https://portal.example/a@b'],
  ])('redactUrl(%s)', (text, redacted) => {
    expect(redactUrl(text)).toBe(redacted);
  });

  it('masks passwords in error messages, their causes, stacks and secret-named fields of any logged object', () => {
    let out = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) });
    const logger = createLogger({ level: 'debug', destination: sink });
    const err = new StoreError('STORE_UNAVAILABLE', 'Redis is unavailable', { cause: new Error('cannot reach redis://:pw-one@db:6379') });
    expect(describeError(err)).not.toContain('pw-one');
    logger.warn({ err }, 'store down');
    logger.info({ config: { store: { redisUrl: 'redis://:pw-two@db:6379' }, server: { adminToken: 'tok-three' } } }, 'config');
    logger.info({ req: { headers: { authorization: 'Bearer tok-four' } } }, 'request');
    expect(out).toContain('store down');
    for (const secret of ['pw-one', 'pw-two', 'tok-three', 'tok-four']) expect(out).not.toContain(secret);
  });
});
