import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import type { Redis } from 'ioredis';
import { layout1Fingerprints, type DecisionReader, type StoredItem } from '../../src/store/decide.js';
import { ANCHOR_COUNT } from '../../src/store/simhash.js';
import { openStore, type OpenStore } from '../../src/store/index.js';
import { reconnectDelay } from '../../src/store/redis.js';
import { dropPrefix, testRedis, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { HARVEST } from './fixtures/articles.js';
import { candidate, fromArticle, layout1Anchors, makeBackend, sentenceAdded, uniqueArticle, type Backend } from './helpers.js';

const target = new URL(TEST_REDIS_URL);

/** A TCP proxy in front of the test Redis that can be cut and restored, to play "Redis is down". */
class FlakyProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
}

async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('Redis store specifics', () => {
  const cleanups: Array<() => Promise<void>> = [];
  /** A store on its own prefix and a raw client to look at (or tamper with) its keys. */
  const storeWithClient = async () => {
    const backend = makeBackend('redis');
    const store = await backend.open();
    const client = testRedis();
    cleanups.push(async () => {
      client.disconnect();
      await store.close();
      await backend.cleanup();
    });
    return { backend, store, client };
  };
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('two processes racing on the same 20 articles end with 20 items', async () => {
    const backend: Backend = makeBackend('redis');
    const a = await backend.open();
    const b = await backend.open();
    cleanups.push(async () => {
      await a.close();
      await b.close();
      await backend.cleanup();
    });
    const articles = Array.from({ length: 20 }, (_, i) => uniqueArticle(500 + i));
    const run = (store: OpenStore, variant: string) =>
      Promise.all(
        articles.map((art, i) =>
          store.upsert(candidate({ url: `https://x.vn/tin/${i}${variant}`, title: art.title, text: art.text, sourceId: variant ? 'b' : 'a' })),
        ),
      );
    const [ra, rb] = await Promise.all([run(a, ''), run(b, '?utm_source=b')]);
    expect((await a.stats()).items).toBe(20);
    expect(await a.latest({ limit: 100 })).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(ra[i]?.item.guid).toBe(rb[i]?.item.guid);
    const statuses = [...ra, ...rb].map((o) => o.status).sort();
    expect(statuses.filter((s) => s === 'new')).toHaveLength(20);
  });

  it('near duplicates raced from two processes merge into one item', async () => {
    const backend = makeBackend('redis');
    const a = await backend.open();
    const b = await backend.open();
    cleanups.push(async () => {
      await a.close();
      await b.close();
      await backend.cleanup();
    });
    await Promise.all([
      a.upsert(fromArticle(HARVEST, 'https://a.vn/lua')),
      b.upsert(fromArticle({ ...HARVEST, title: `${HARVEST.title} (ảnh)` }, 'https://b.vn/lua')),
    ]);
    expect((await a.stats()).items).toBe(1);
  });

  it('items written before signature keys existed are still found as near duplicates', async () => {
    const { backend, store, client } = await storeWithClient();
    const first = await store.upsert(fromArticle(HARVEST, 'https://a.vn/lua'));
    const itemKey = `${backend.keyPrefix}item:${first.item.id}`;
    const { sketch: _sketch, ...legacy } = JSON.parse((await client.get(itemKey)) as string) as Record<string, unknown>;
    await client.set(itemKey, JSON.stringify(legacy));
    await client.del(`${backend.keyPrefix}sig:${first.item.id}`);
    const text = HARVEST.text.replace('\n\n', ' Lãnh đạo các sở, ngành và địa phương cùng dự, đánh giá cao kết quả đạt được trong năm qua.\n\n');
    const second = await store.upsert(fromArticle({ ...HARVEST, text }, 'https://b.vn/lua'));
    expect(second.status).toBe('merged');
    expect(second.item.id).toBe(first.item.id);
    expect(JSON.parse((await client.get(`${backend.keyPrefix}sig:${first.item.id}`)) as string)).toMatchObject({ simhash: first.item.simhash });
  });

  it('a decision is optimistic-locked on the signatures it read', async () => {
    const { backend, store, client } = await storeWithClient();
    const { item } = await store.upsert(fromArticle(HARVEST, 'https://a.vn/lua'));
    const internals = store as unknown as {
      client: { multi(): { incr(key: string): { exec(): Promise<unknown> } } };
      watchingReader(): DecisionReader;
    };
    expect(await internals.watchingReader().signatures([item.id])).toMatchObject([{ simhash: item.simhash }]);
    await client.set(`${backend.keyPrefix}sig:${item.id}`, 'changed elsewhere');
    expect(await internals.client.multi().incr(`${backend.keyPrefix}version`).exec()).toBeNull();
  });

  it('keeps every key under the prefix, in the documented schema', async () => {
    const backend = makeBackend('redis');
    const store = await backend.open();
    cleanups.push(async () => {
      await store.close();
      await backend.cleanup();
    });
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua', { categories: ['nong-nghiep'] }));
    await store.setValidators('https://x.vn/tin', { etag: '"1"', lastModified: null });
    const lease = await store.lock.acquire('crawl', 10_000);
    const client = testRedis();
    const keys = await client.keys(`${backend.keyPrefix}*`);
    client.disconnect();
    await lease?.release();
    const schema =
      /^((item|sig):[0-9a-f-]{36}|z:(all|cat:.+|src:.+)|url:.+|hash:[0-9a-f]{64}|fp:(p\d:[0-9a-f]{1,4}\.[0-9a-f]{1,4}|m[0-7]:[0-9a-f]{16})|http:https?:\/\/.+|names:(cat|src)|version|layout|lock:.+)$/;
    for (const key of keys) expect(key.slice(backend.keyPrefix.length)).toMatch(schema);
    expect(keys.length).toBeGreaterThanOrEqual(17);
  });

  describe('fingerprint layout 1 (four 16-bit bands, one-minimum anchors)', () => {
    /** Rewrites the prefix as the previous version left it: old anchors in the items, old fingerprint sets, no `layout`. */
    const downgrade = async (client: Redis, prefix: string) => {
      for (const key of await client.keys(`${prefix}fp:*`)) await client.del(key);
      for (const key of await client.keys(`${prefix}item:*`)) {
        const item = JSON.parse((await client.get(key)) as string) as StoredItem;
        const old = { ...item, anchors: layout1Anchors(item.anchors) };
        await client.set(key, JSON.stringify(old));
        for (const fp of layout1Fingerprints(old)) await client.sadd(`${prefix}fp:${fp}`, item.id);
      }
      await client.del(`${prefix}layout`);
    };
    /** Every key under the prefix with its value, sets sorted: what a second re-index must leave as it is. */
    const dump = async (client: Redis, prefix: string) => {
      const out: Record<string, unknown> = {};
      for (const key of (await client.keys(`${prefix}*`)).sort()) {
        const type = await client.type(key);
        if (type === 'string') out[key] = await client.get(key);
        else if (type === 'set') out[key] = (await client.smembers(key)).sort();
        else if (type === 'zset') out[key] = await client.zrange(key, 0, -1, 'WITHSCORES');
        else out[key] = await client.hgetall(key);
      }
      return out;
    };

    it('is re-indexed before the first write, by two replicas at once; old items still merge; a second run changes nothing', async () => {
      const { backend, store, client } = await storeWithClient();
      for (let i = 0; i < 4; i++) {
        const a = uniqueArticle(700 + i);
        await store.upsert(candidate({ url: `https://x.vn/tin/${i}`, title: a.title, text: a.text }));
      }
      const harvest = await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua', { sourceId: 'other' }));
      expect(await store.markGone(harvest.item.id, 410)).toBe('withdrawn');
      const prefix = backend.keyPrefix;
      await downgrade(client, prefix);
      expect((await client.keys(`${prefix}fp:b*`)).length).toBeGreaterThan(0);
      const [a, b] = [await backend.open(), await backend.open()];
      cleanups.push(async () => {
        await a.close();
        await b.close();
      });
      // trim() is a write: each replica re-indexes first, at the same moment.
      await Promise.all([a.trim(), b.trim()]);
      expect(await client.get(`${prefix}layout`)).toBe('2');
      expect(await client.keys(`${prefix}fp:[ab]*`)).toEqual([]);
      const fpKeys = await client.keys(`${prefix}fp:*`);
      expect(fpKeys.filter((k) => k.startsWith(`${prefix}fp:m`))).toHaveLength(5 * ANCHOR_COUNT);
      expect(fpKeys.filter((k) => k.startsWith(`${prefix}fp:p`))).toHaveLength(50);
      for (const key of fpKeys) expect(await client.scard(key)).toBe(1);
      expect(await a.markPresent(harvest.item.id)).toBe(true);
      const copy = await a.upsert(fromArticle(sentenceAdded(HARVEST), 'https://y.vn/lua'));
      expect(copy).toMatchObject({ status: 'merged', item: { id: harvest.item.id } });
      expect(copy.distance).toBeGreaterThan(3);
      const before = await dump(client, prefix);
      await client.del(`${prefix}layout`);
      const c = await backend.open();
      cleanups.push(() => c.close());
      await c.trim();
      expect(await dump(client, prefix)).toEqual(before);
    });
  });

  it('fails fast while Redis is down, at start and later, and recovers without a restart', async () => {
    const proxy = new FlakyProxy();
    await proxy.start();
    await proxy.stop();
    const prefix = uniquePrefix('down');
    const started = Date.now();
    const store = await openStore({
      redisUrl: proxy.url,
      dataDir: '/nonexistent',
      keyPrefix: prefix,
      retentionDays: null,
      maxItems: null,
      nearDuplicateDistance: 3,
      logger: silentLogger(),
    });
    cleanups.push(async () => {
      await store.close();
      await proxy.stop();
      await dropPrefix(prefix);
    });
    expect(store.kind).toBe('redis');
    const t0 = Date.now();
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.upsert(fromArticle(HARVEST, 'https://x.vn/a'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.latest({ limit: 5 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(7_000);

    await proxy.start();
    await eventually(() => store.ping());
    expect((await store.upsert(fromArticle(HARVEST, 'https://x.vn/a'))).status).toBe('new');

    await proxy.stop();
    const t1 = Date.now();
    await eventually(async () => {
      await expect(store.knows('https://x.vn/a')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    });
    expect(Date.now() - t1).toBeLessThan(2_000);
    await proxy.start();
    await eventually(async () => expect(await store.knows('https://x.vn/a')).toBe(true));
  });

  it('reconnect backoff is exponential and capped, and never gives up', () => {
    const delays = [1, 2, 3, 5, 10, 50, 10_000].map(reconnectDelay);
    expect(delays[0]).toBeLessThan(delays[1] as number);
    expect(delays[1]).toBeLessThan(delays[2] as number);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10_000);
    expect(delays.every((d) => typeof d === 'number' && d > 0)).toBe(true);
  });
});
