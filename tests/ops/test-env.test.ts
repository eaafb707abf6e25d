import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';
import { PRODUCTION_PREFIX, writesBetween } from '../helpers/global-setup.js';

const POISON: Record<string, string> = {
  REDIS_URL: 'redis://127.0.0.1:1/9',
  REDIS_CLUSTER_NODES: '127.0.0.1:7000',
  REDIS_SENTINELS: '127.0.0.1:26379',
  PORT: '1',
  PUBLIC_URL: 'http://developer.example',
  DATA_DIR: '/nonexistent',
  LOG_LEVEL: 'trace',
  ADMIN_TOKEN: 'a-developer-secret-token',
  PORTALFEED_CONFIG: '/nonexistent.yaml',
};

function envSeenByChild(settings: Record<string, string> = {}): Record<string, string> {
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
    env: childEnv(settings),
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, string>;
}

describe('the environment of processes the tests start', () => {
  const saved = new Map<string, string | undefined>();
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved.clear();
  });

  it('holds none of the developer’s portalfeed settings, only what the test sets', () => {
    for (const [name, value] of Object.entries(POISON)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    const seen = envSeenByChild({ LOG_LEVEL: 'warn' });
    for (const name of Object.keys(POISON).filter((n) => n !== 'LOG_LEVEL')) expect(seen[name], name).toBeUndefined();
    expect(seen.LOG_LEVEL).toBe('warn');
    expect(seen.PATH).toBe(process.env.PATH);
  });

  it('the run-wide check sees keys created and item writes under the production prefix', () => {
    const before = { keys: new Set([`${PRODUCTION_PREFIX}item:a`]), version: '3' };
    expect(writesBetween(before, { keys: new Set(before.keys), version: '3' })).toEqual([]);
    expect(writesBetween(before, { keys: new Set([...before.keys, `${PRODUCTION_PREFIX}z:all`]), version: '3' })).toEqual([
      `${PRODUCTION_PREFIX}z:all`,
    ]);
    expect(writesBetween(before, { keys: new Set(before.keys), version: '4' })).toEqual([`${PRODUCTION_PREFIX}version (changed)`]);
  });

  it('without Redis, vitest stops with the one message that says how to start it', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'tests/config/cron.test.ts'], {
      cwd: ROOT,
      env: childEnv({ REDIS_URL: 'redis://127.0.0.1:1', NO_COLOR: '1' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(
      /Redis does not answer at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\)\. The store tests need one: start it with "redis-server/,
    );
    expect(output).not.toMatch(/No test files found/);
  });
});
