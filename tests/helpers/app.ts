import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { buildServer } from '../../src/commands/serve.js';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { openStore, type OpenStore } from '../../src/store/index.js';
import { TEST_REDIS_URL, dropPrefix, uniquePrefix } from './redis.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PORTAL_SITE = join(ROOT, 'examples/portal');

export type StoreKind = 'embedded' | 'redis';

export interface Harness {
  portal: ReplayPortal;
  config: LoadedConfig;
  app: App;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A config like config/default.yaml, pointed at a replay portal and a fresh store. */
export function testConfig(portalUrl: string, kind: StoreKind, overrides: Record<string, unknown> = {}): LoadedConfig {
  return parseTestConfig(rawTestConfig(portalUrl, kind, overrides));
}

export function parseTestConfig(raw: Record<string, unknown>): LoadedConfig {
  return parseConfig(raw, { file: join(ROOT, 'config/test.yaml'), env: {} });
}

export function rawTestConfig(
  portalUrl: string,
  kind: StoreKind,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> & { sources: Array<Record<string, unknown>> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'portalfeed-test-'));
  const raw = {
    server: { port: 0, publicUrl: 'http://feeds.test' },
    store: {
      redisUrl: kind === 'redis' ? TEST_REDIS_URL : null,
      dataDir,
      keyPrefix: uniquePrefix('e2e'),
    },
    feed: { title: 'Tin tức tỉnh Quảng Trị', description: 'Kiểm thử', language: 'vi', maxItems: 50 },
    // Pages are parsed in the test's own thread (a worker under tsx boots slowly); tests/crawl/parse-workers.test.ts runs the pool.
    crawl: { parseWorkers: 0 },
    sources: [
      {
        id: 'quangtri',
        name: 'Cổng Thông tin điện tử tỉnh Quảng Trị',
        baseUrl: portalUrl,
        schedule: '*/15 * * * *',
        sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
        linkPattern: '^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$',
        maxPages: 3,
        selectors: {},
        http: { timeoutMs: 5000, retries: 1, concurrency: 2, delayMs: 0 },
      },
    ],
    ...overrides,
  };
  return raw;
}

/** Serves an app on an ephemeral port, as `portalfeed serve` would. */
export async function serveApp(app: App): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = buildServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** Opens the embedded store of a dataDir the way the CLI does, to look at what a process left there. */
export function openEmbeddedStore(dataDir: string): Promise<OpenStore> {
  return openStore({
    redisUrl: null,
    dataDir,
    keyPrefix: '{portalfeed}:',
    retentionDays: null,
    maxItems: null,
    nearDuplicateDistance: 3,
    logger: silentLogger(),
  });
}

export async function startHarness(kind: StoreKind, site = PORTAL_SITE, patch: (c: LoadedConfig) => LoadedConfig = (c) => c): Promise<Harness> {
  const portal = await startReplayPortal({ ...loadReplaySite(site), host: '127.0.0.1', port: 0 });
  const config = patch(testConfig(portal.url, kind));
  const app = await createApp(config, silentLogger());
  const http = await serveApp(app);
  return {
    portal,
    config,
    app,
    server: http.server,
    url: http.url,
    async close() {
      await http.close();
      await app.close();
      await portal.close();
      if (kind === 'redis') await dropPrefix(config.store.keyPrefix);
      rmSync(config.store.dataDir, { recursive: true, force: true });
    },
  };
}
