import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, serveApp, testConfig } from '../helpers/app.js';
import { startRedisCluster, startSentinelGroup, type PrivateCluster, type PrivateSentinelGroup } from '../helpers/redis-server.js';
import { candidate, uniqueArticle } from './helpers.js';

const BASE = 'https://www.quangtri.gov.vn';

async function appOn(portal: ReplayPortal, store: Record<string, unknown>): Promise<App> {
  const config = testConfig(portal.url, 'redis');
  return createApp({ ...config, store: { ...config.store, redisUrl: null, ...store } }, silentLogger());
}

describe('Redis Cluster: three masters', () => {
  let cluster: PrivateCluster;
  let portal: ReplayPortal;
  let app: App;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    app = await appOn(portal, { redisCluster: cluster.nodes });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await portal?.close();
    await cluster?.stop();
  });

  it('crawls, serves and recrawls, with every key in the one slot of the prefix hash tag', async () => {
    const first = await app.crawler.run('quangtri');
    expect([first.outcome, first.new]).toEqual(['partial', 4]); // the fixture portal has one broken article
    await app.publisher.refresh();
    const http = await serveApp(app);
    try {
      const feed = await (await fetch(`${http.url}/feed.xml`)).text();
      expect(feed.match(/<item>/g)?.length).toBe(4);
    } finally {
      await http.close();
    }
    const again = await app.crawler.run('quangtri');
    expect(again.new).toBe(0);
    expect(again.errors.store ?? 0).toBe(0);

    const node = new Redis(cluster.nodes[0] as string);
    try {
      const slot = Number(await node.call('cluster', 'keyslot', app.config.store.keyPrefix));
      let total = 0;
      let inSlot = 0;
      for (const url of cluster.nodes) {
        const each = new Redis(url);
        total += await each.dbsize();
        inSlot += Number(await each.call('cluster', 'countkeysinslot', String(slot)));
        each.disconnect();
      }
      expect(total).toBeGreaterThan(10);
      expect(inSlot).toBe(total);
    } finally {
      node.disconnect();
    }
  });
});

describe('Redis Sentinel: master, replica, one sentinel, forced failover mid-run', () => {
  let group: PrivateSentinelGroup;
  let portal: ReplayPortal;
  let app: App;

  beforeAll(async () => {
    group = await startSentinelGroup();
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    app = await appOn(portal, { redisSentinel: { name: group.name, sentinels: group.sentinels } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await portal?.close();
    await group?.stop();
  });

  it('keeps serving feeds from memory, resumes writes on the new master and loses nothing acknowledged', async () => {
    const crawled = await app.crawler.run('quangtri');
    expect([crawled.outcome, crawled.new]).toEqual(['partial', 4]);
    await app.publisher.refresh();
    const http = await serveApp(app);
    const acknowledged: string[] = [];
    let refused = 0;
    let failedOver = false;
    let afterFailover = 0;
    let n = 0;
    const writer = (async () => {
      while (!failedOver || afterFailover < 5) {
        const a = uniqueArticle(5000 + n);
        const url = `${BASE}/tin-tuc/failover-${n++}`;
        try {
          const out = await app.store.upsert(candidate({ url, title: a.title, text: a.text }));
          acknowledged.push(out.item.id);
          if (failedOver) afterFailover++;
        } catch {
          refused++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    try {
      const before = await (await fetch(`${http.url}/feed.xml`)).text();
      while (acknowledged.length < 5) await new Promise((r) => setTimeout(r, 20));
      const failover = group.failover().then((port) => {
        failedOver = true;
        return port;
      });
      const bodies: Array<{ status: number; same: boolean }> = [];
      while (!failedOver) {
        const response = await fetch(`${http.url}/feed.xml`);
        bodies.push({ status: response.status, same: (await response.text()) === before });
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await failover).toBe(group.replica);
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.every((b) => b.status === 200 && b.same)).toBe(true);
      await writer;
      for (const id of acknowledged) expect(await app.store.get(id)).not.toBeNull();
      // Writes refused as unconfirmed may have landed anyway; none acknowledged may be missing.
      expect((await app.store.stats()).items).toBeGreaterThanOrEqual(4 + acknowledged.length);
      expect(refused).toBeLessThan(500);
      const recrawl = await app.crawler.run('quangtri');
      expect(recrawl.errors.store ?? 0).toBe(0);
    } finally {
      failedOver = true;
      afterFailover = Infinity;
      await writer.catch(() => undefined);
      await http.close();
    }
  }, 60_000);
});
