import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { HostScheduler } from '../../src/fetch/index.js';
import { fetchError, testClient } from './support.js';

let portal: ReplayPortal;
let other: ReplayPortal;

beforeAll(async () => {
  const routes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/p${i}`, { body: `<p>page ${i}</p>` }]));
  portal = await startReplayPortal({ routes, robots: 'User-agent: *\nDisallow: /private\n' });
  other = await startReplayPortal({ routes, robots: null });
});
afterAll(async () => {
  await Promise.all([portal.close(), other.close()]);
});
beforeEach(() => {
  portal.reset();
  other.reset();
});

function gaps(at: number[]): number[] {
  return at.slice(1).map((t, i) => t - (at[i] ?? 0));
}

/**
 * Server stamps share a (possibly loaded) event loop with the client, so one arrival can lag by some
 * ms and shorten the next gap; the span of all gaps cannot shrink that way.
 */
function expectSpacing(stamps: number[], delayMs: number): void {
  for (const gap of gaps(stamps)) expect(gap).toBeGreaterThanOrEqual(delayMs * 0.5);
  expect((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)).toBeGreaterThanOrEqual((stamps.length - 1) * delayMs - 15);
}

describe('per-host politeness', () => {
  it('keeps delayMs between request starts to one host (concurrency 2, 5 requests)', async () => {
    const { client } = testClient({ delayMs: 100, concurrency: 2, respectRobots: false });
    // Open both keep-alive connections first, so connection setup does not shift arrival times.
    await Promise.all([client.get({ url: `${portal.url}/p6` }), client.get({ url: `${portal.url}/p7` })]);
    portal.reset();
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.get({ url: `${portal.url}/p${i}` })));
    const stamps = portal.requests.map((r) => r.at);
    expect(stamps).toHaveLength(5);
    expectSpacing(stamps, 100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await client.close();
  });

  it('never has more than `concurrency` requests in flight to one host', async () => {
    for (let i = 0; i < 6; i++) portal.setFault(`/p${i}`, { kind: 'slow', delayMs: 150 });
    const { client } = testClient({ delayMs: 0, concurrency: 2, respectRobots: false });
    const finished: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.get({ url: `${portal.url}/p${i}` }).then(() => finished.push(Date.now()))));
    const starts = portal.requests.map((r) => r.at);
    // Each request is in flight on the server for 150 ms after its arrival.
    const inFlightAt = (t: number): number => starts.filter((s) => s <= t && t < s + 140).length;
    expect(Math.max(...starts.map(inFlightAt))).toBe(2);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(280);
    for (let i = 0; i < 6; i++) portal.setFault(`/p${i}`, null);
    await client.close();
  });

  it('counts retries against the delay too', async () => {
    portal.setFault('/p0', { kind: 'status', status: 500, times: 2 });
    const { client } = testClient({ delayMs: 80, retries: 2 });
    await client.get({ url: `${portal.url}/p0` });
    const stamps = portal.requests.map((r) => r.at);
    expect(portal.requests[0]?.path).toBe('/robots.txt');
    stamps.shift();
    expect(stamps).toHaveLength(3);
    expectSpacing(stamps, 80);
    await client.close();
  });

  it('honours a robots.txt Crawl-delay above delayMs, up to maxCrawlDelayMs', async () => {
    other.setRobots('User-agent: portalfeed\nCrawl-delay: 0.15\n');
    const { client } = testClient({ delayMs: 0 });
    await client.get({ url: `${other.url}/p0` });
    await Promise.all([1, 2, 3].map((i) => client.get({ url: `${other.url}/p${i}` })));
    const stamps = other.requests.filter((r) => r.path !== '/robots.txt').map((r) => r.at);
    expectSpacing(stamps, 150);
    await client.close();

    other.reset();
    const { client: capped } = testClient({ delayMs: 0, maxCrawlDelayMs: 0 });
    const started = Date.now();
    await Promise.all([0, 1, 2, 3].map((i) => capped.get({ url: `${other.url}/p${i}` })));
    expect(Date.now() - started).toBeLessThan(300);
    await capped.close();
    other.setRobots(null);
  });

  it('does not delay requests to a different host', async () => {
    const { client } = testClient({ delayMs: 400, concurrency: 1, respectRobots: false });
    const started = Date.now();
    await Promise.all([client.get({ url: `${portal.url}/p0` }), client.get({ url: `${other.url}/p0` })]);
    expect(Date.now() - started).toBeLessThan(350);
    expect(client.stats().byHost).toEqual({ [new URL(portal.url).host]: 1, [new URL(other.url).host]: 1 });
    await client.close();
  });
});

describe('robots.txt through the client', () => {
  it('never requests a disallowed path and fetches robots.txt once per origin', async () => {
    const { client } = testClient();
    const err = await fetchError(client.get({ url: `${portal.url}/private/doc` }));
    expect(err.code).toBe('FETCH_ROBOTS_DISALLOWED');
    expect(portal.count('/private')).toBe(0);
    await Promise.all([client.get({ url: `${portal.url}/p1` }), client.get({ url: `${portal.url}/p2` })]);
    expect(portal.count('/robots.txt')).toBe(1);
    await client.close();
  });

  it('shares one robots.txt fetch between concurrent first requests', async () => {
    const { client } = testClient();
    await Promise.all(Array.from({ length: 4 }, (_, i) => client.get({ url: `${portal.url}/p${i}` })));
    expect(portal.count('/robots.txt')).toBe(1);
    await client.close();
  });

  it('404 robots.txt allows everything', async () => {
    const { client } = testClient();
    await client.get({ url: `${other.url}/p1` });
    expect(other.requests.map((r) => [r.path, r.status])).toEqual([
      ['/robots.txt', 404],
      ['/p1', 200],
    ]);
    await client.close();
  });

  it('5xx robots.txt disallows the origin for a while, then is asked again', async () => {
    let now = 1_000_000;
    const { client } = testClient({ now: () => now, robotsErrorTtlMs: 60_000 });
    portal.setFault('/robots.txt', { kind: 'status', status: 503 });
    expect((await fetchError(client.get({ url: `${portal.url}/p1` }))).code).toBe('FETCH_ROBOTS_DISALLOWED');
    expect((await fetchError(client.get({ url: `${portal.url}/p2` }))).code).toBe('FETCH_ROBOTS_DISALLOWED');
    expect(portal.count('/p')).toBe(0);
    expect(portal.count('/robots.txt')).toBe(1);
    portal.setFault('/robots.txt', null);
    now += 61_000;
    await client.get({ url: `${portal.url}/p1` });
    expect(portal.count('/robots.txt')).toBe(2);
    await client.close();
  });

  it('keeps the last good robots.txt while the file is unreachable, and refreshes after the TTL', async () => {
    let now = 1_000_000;
    const { client } = testClient({ now: () => now, robotsTtlMs: 3_600_000 });
    await client.get({ url: `${portal.url}/p1` });
    portal.setRobots('User-agent: *\nDisallow: /p1\n');
    await client.get({ url: `${portal.url}/p1` });
    now += 3_600_001;
    portal.setFault('/robots.txt', { kind: 'status', status: 500, times: 1 });
    await client.get({ url: `${portal.url}/p1` });
    now += 600_001;
    expect((await fetchError(client.get({ url: `${portal.url}/p1` }))).code).toBe('FETCH_ROBOTS_DISALLOWED');
    expect(portal.count('/robots.txt')).toBe(3);
    portal.setRobots('User-agent: *\nDisallow: /private\n');
    await client.close();
  });

  it('respectRobots: false never asks for robots.txt', async () => {
    const { client } = testClient({ respectRobots: false });
    await client.get({ url: `${portal.url}/private` }).catch(() => undefined);
    expect(portal.count('/robots.txt')).toBe(0);
    expect(portal.count('/private')).toBe(1);
    await client.close();
  });

  it('follows a robots.txt redirect', async () => {
    other.setFault('/robots.txt', { kind: 'redirect', to: '/real-robots.txt' });
    other.setRoute('/real-robots.txt', { body: 'User-agent: portalfeed\nDisallow: /p3\n', contentType: 'text/plain' });
    const { client } = testClient();
    expect((await fetchError(client.get({ url: `${other.url}/p3` }))).code).toBe('FETCH_ROBOTS_DISALLOWED');
    await client.get({ url: `${other.url}/p4` });
    other.setFault('/robots.txt', null);
    await client.close();
  });
});

describe('HostScheduler', () => {
  it('releases waiters that abort while queued', async () => {
    const scheduler = new HostScheduler({ concurrency: 1, delayMs: 0 });
    const release = await scheduler.acquire('h');
    const controller = new AbortController();
    const queued = scheduler.acquire('h', controller.signal);
    expect(scheduler.snapshot()).toEqual({ h: { active: 1, queued: 1 } });
    controller.abort(new Error('stop'));
    await expect(queued).rejects.toThrow('stop');
    expect(scheduler.snapshot()).toEqual({ h: { active: 1, queued: 0 } });
    release();
    release();
    expect(scheduler.snapshot()).toEqual({ h: { active: 0, queued: 0 } });
    scheduler.close();
  });
});
