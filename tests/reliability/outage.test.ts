import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis-server.js';

const PASSWORD = 'hunter2-s3cret-redis-pw';
const ADMIN_TOKEN = 'adm1n-t0ken-never-logged-0123';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const until = async (what: string, check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * `portalfeed serve` started while its (password-protected) Redis is down: feed requests meet the outage, Redis
 * comes up, and the failed start-up crawl runs again by itself. No secret appears in anything it prints.
 */
describe('serve through a store outage', () => {
  let portal: ReplayPortal;
  let redis: PrivateRedis;
  let dir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    redis = await startPrivateRedis({ password: PASSWORD, started: false });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-outage-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await redis?.stop();
    await portal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns once, retries the start-up crawl when Redis returns, and never prints a secret', async () => {
    const file = join(dir, 'portalfeed.yaml');
    writeFileSync(
      file,
      stringify({
        server: { port: 0, publicUrl: 'http://localhost:8080' },
        store: { dataDir: join(dir, 'data'), keyPrefix: uniquePrefix('outage') },
        tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
        sources: [
          {
            id: 'quangtri',
            name: 'Quảng Trị',
            baseUrl: portal.url,
            sections: [{ id: 'tin-tuc', name: 'Tin tức', url: '/tin-tuc' }],
            linkPattern: '^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$',
            http: { retries: 0, delayMs: 0 },
          },
        ],
      }),
    );
    child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve', '--config', file], {
      cwd: ROOT,
      env: childEnv({ LOG_LEVEL: 'info', NODE_ENV: 'production', REDIS_URL: redis.url, ADMIN_TOKEN }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const lines = (): LogLine[] =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);

    await until('the start-up crawl to fail', () => lines().some((l) => /^quangtri: failed/.test(l.msg)));
    const port = lines().find((l) => typeof l.port === 'number')!.port as number;
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 5; i++) expect((await fetch(`${base}/feed.xml`)).status).toBe(503);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    const denied = await fetch(`${base}/admin/crawl`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(denied.status).toBe(401);
    const during = lines();
    expect(during.filter((l) => l.level >= 40 && !/^quangtri: failed/.test(l.msg)).map((l) => l.msg)).toEqual([
      'store: Redis unavailable; retrying in the background',
    ]);

    await redis.start();
    await until('the start-up crawl to run again', () => lines().some((l) => /^quangtri: (ok|partial)/.test(l.msg)));
    expect(lines().some((l) => l.msg === 'store: Redis is back')).toBe(true);
    const feed = await fetch(`${base}/feed.xml`);
    expect(feed.status).toBe(200);

    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(ADMIN_TOKEN);
  }, 60_000);
});
