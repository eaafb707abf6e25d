import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT, rawTestConfig } from '../helpers/app.js';
import { builtCli } from '../helpers/built-cli.js';
import { childEnv } from '../helpers/env.js';
import { dropPrefix, testRedis } from '../helpers/redis.js';

const REPLICAS = 3;
const SOURCES = 3;
const LEASE_MS = 3000;
const TICK_MS = 1000;
/** Long enough that the doomed replica is still waiting on the listing when it is killed. */
const SLOW_LISTING_MS = 2500;

const isListing = (path: string) => path === '/robots.txt' || path === '/tin-tuc' || path.startsWith('/tin-tuc?');

/**
 * How many times each article page (anything but robots.txt and the listing) was requested at a portal. The
 * fixture's one removed article (404) is left out: a failed article is retried by design.
 */
function articleCounts(portal: ReplayPortal): Map<string, number> {
  const counts = new Map<string, number>();
  const gone = new Set(portal.requests.filter((r) => r.status === 404).map((r) => r.path));
  for (const r of portal.requests) if (!isListing(r.path) && !gone.has(r.path)) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  return counts;
}

async function until<T>(probe: () => Promise<T | null | undefined> | T | null | undefined, ms: number): Promise<T | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

describe('three `portalfeed serve` replicas on one Redis, one killed mid-crawl', () => {
  it('hand its source to the others within one lease period, and fetch every article once in total', async () => {
    const portals = await Promise.all(
      Array.from({ length: SOURCES }, () => startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 })),
    );
    const doomed = portals[0]!;
    doomed.setFault('/tin-tuc', { kind: 'slow', delayMs: SLOW_LISTING_MS });
    const base = rawTestConfig(portals[0]!.url, 'redis');
    const prefix = (base.store as { keyPrefix: string }).keyPrefix;
    const raw = {
      ...base,
      crawl: { ...(base.crawl as object), leaseMs: LEASE_MS },
      tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
      sources: portals.map((portal, i) => ({ ...base.sources[0], id: `s${i}`, baseUrl: portal.url, schedule: '* * * * * *' })),
    };
    const dir = mkdtempSync(join(tmpdir(), 'portalfeed-failover-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify(raw));
    // The build, not tsx: three processes start in a third of the time, which keeps the test well under 25 s.
    const cli = builtCli();
    const children: ChildProcess[] = Array.from({ length: REPLICAS }, () =>
      spawn(process.execPath, [cli, 'serve', '--config', file, '--port', '0'], {
        cwd: ROOT,
        env: childEnv({ LOG_LEVEL: 'info', NODE_ENV: 'production' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const logs = children.map(() => '');
    children.forEach((child, i) => child.stdout!.on('data', (d: Buffer) => (logs[i] += d.toString())));
    const redis = testRedis();
    const holderPid = async (sourceId: string) => {
      const value = await redis.get(`${prefix}lock:crawl:${sourceId}`);
      return value ? Number(value.split(' ')[2]) : null;
    };
    const tail = () =>
      logs
        .map((log) =>
          log
            .split('\n')
            .slice(-15)
            .map((l) => l.slice(0, 200))
            .join('\n'),
        )
        .join('\n----\n');
    try {
      // The replica holding s0's lease while its listing request is still unanswered is the one to kill.
      const victimPid = await until(async () => {
        const pid = await holderPid('s0');
        return pid && doomed.requests.some((r) => r.path === '/tin-tuc') ? pid : null;
      }, 30_000);
      expect(victimPid, tail()).not.toBeNull();
      const victim = children.find((child) => child.pid === victimPid)!;
      expect(victim, `lease holder ${victimPid} is not one of the replicas`).toBeDefined();
      expect(articleCounts(doomed).size).toBe(0);
      const exited = new Promise((r) => victim.once('exit', r));
      victim.kill('SIGKILL');
      const killedAt = Date.now();
      await exited;
      doomed.setFault('/tin-tuc', null);

      const survivors = children.filter((child) => child !== victim).map((child) => child.pid);
      const takeover = await until(
        async () => {
          const pid = await holderPid('s0');
          return pid && survivors.includes(pid) ? Date.now() : null;
        },
        LEASE_MS + 5 * TICK_MS,
      );
      expect(takeover, tail()).not.toBeNull();
      // At the survivors' next tick once the lease is gone: within one lease period plus one tick.
      expect(takeover! - killedAt).toBeLessThanOrEqual(LEASE_MS + TICK_MS);

      const survivorLogs = () => logs.filter((_, i) => children[i] !== victim);
      const crawled = await until(
        () => (survivorLogs().some((log) => /"summary":\{"source":"s0","outcome":"(ok|partial)"/.test(log)) ? true : null),
        10_000,
      );
      expect(crawled, tail()).toBe(true);
      expect(await redis.zcard(`${prefix}z:all`)).toBeGreaterThanOrEqual(4);
      // A few more ticks: recrawls find every article already stored and fetch none of them again.
      await new Promise((r) => setTimeout(r, 3 * TICK_MS));
      // Store contents: every item under its own GUID, none written twice by the replica that took over.
      const itemKeys = await redis.keys(`${prefix}item:*`);
      const guids = (await redis.mget(itemKeys)).map((json) => (JSON.parse(json!) as { guid: string }).guid);
      expect(guids.length).toBe(await redis.zcard(`${prefix}z:all`));
      expect(new Set(guids).size).toBe(guids.length);
      for (const portal of portals) {
        const counts = articleCounts(portal);
        expect(counts.size).toBeGreaterThanOrEqual(4);
        expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      }
    } finally {
      redis.disconnect();
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(
        children.map((child) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)))),
      );
      await Promise.all(portals.map((portal) => portal.close()));
      await dropPrefix(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
