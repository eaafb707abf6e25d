import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, serveApp, testConfig } from '../helpers/app.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis-server.js';

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

describe('health and readiness with Redis going away and coming back', () => {
  let redis: PrivateRedis;
  let portal: ReplayPortal;
  let app: App;
  let http: Awaited<ReturnType<typeof serveApp>>;
  let url: string;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const config = testConfig(portal.url, 'redis');
    app = await createApp({ ...config, store: { ...config.store, redisUrl: redis.url } }, silentLogger());
    http = await serveApp(app);
    url = http.url;
  });

  afterAll(async () => {
    await http?.close();
    await app?.close();
    await portal?.close();
    await redis?.stop();
  });

  it('is alive but not ready before any crawl, with a reason', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const { status, body } = await readyz(url);
    expect(status).toBe(503);
    expect(JSON.stringify(body)).toMatch(/crawl|items/i);
  });

  it('becomes ready after a successful crawl, with per-source detail', async () => {
    const summary = await app.crawler.run('quangtri');
    expect(summary.new).toBe(4);
    await app.publisher.refresh();
    const { status, body } = await readyz(url);
    expect(status).toBe(200);
    const sources = body.sources as Array<Record<string, unknown>>;
    expect(sources[0]).toMatchObject({ id: 'quangtri', items: 4, overdue: false });
    expect(sources[0]!.lastSuccessAt).toEqual(expect.any(String));
  });

  it('says why when Redis stops, keeps serving the rendered feeds, and loses nothing', async () => {
    const before = await (await fetch(`${url}/feed.xml`)).text();
    await redis.stop();
    const down = await eventually(
      () => readyz(url),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(JSON.stringify(down.body)).toMatch(/store|redis/i);
    const feed = await fetch(`${url}/feed.xml`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toBe(before);
    const failed = await app.crawler.run('quangtri', { refresh: true });
    expect(failed.outcome).toBe('failed');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('recovers by itself when Redis returns (items still there after a restart of Redis keeps nothing: crawl resumes)', async () => {
    await redis.start();
    const up = await eventually(
      () =>
        app.store.ping().then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    expect(up).toBe(true);
    const summary = await app.crawler.run('quangtri');
    // This private Redis keeps nothing on disk, so the crawl stores the articles again.
    expect(summary.outcome).not.toBe('failed');
    expect((await app.store.stats()).items).toBe(4);
    const ready = await eventually(
      () => readyz(url),
      (r) => r.status === 200,
    );
    expect(ready.status).toBe(200);
  });
});
