import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetrics, type Metrics } from '../../src/core/metrics.js';
import { silentLogger } from '../../src/core/log.js';
import type { SourceHealth } from '../../src/core/types.js';
import { createServer, type ServerOptions } from '../../src/serve/server.js';
import { CATEGORIES, makePublisher, PUBLIC_URL, SOURCES } from '../publish/fixtures.js';
import { MemoryStore } from '../publish/memory-store.js';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface Harness {
  server: Server;
  base: string;
  store: MemoryStore;
  metrics: Metrics;
  health: SourceHealth[];
  crawls: Array<string | null>;
  request(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<Response>;
  close(): Promise<void>;
}

export function healthOf(id: string, lastSuccessAt: string | null): SourceHealth {
  return {
    id,
    name: id,
    schedule: '*/15 * * * *',
    running: false,
    lastRunAt: lastSuccessAt,
    lastSuccessAt,
    lastErrorAt: null,
    lastError: null,
    overdue: false,
    items: 0,
  };
}

export async function startHarness(
  options: Partial<ServerOptions> & { store?: MemoryStore; hub?: string | null; crawlAccepts?: boolean } = {},
): Promise<Harness> {
  const store = options.store ?? new MemoryStore();
  const metrics = createMetrics({ defaultMetrics: false });
  const hub = options.hub ?? null;
  const publisher = options.publisher ?? makePublisher(store, { websubHub: hub });
  const health: SourceHealth[] = [healthOf('quangtri', null), healthOf('snnmt', null)];
  const crawls: Array<string | null> = [];
  const server = createServer({
    publisher,
    store,
    metrics,
    logger: silentLogger(),
    publicUrl: PUBLIC_URL,
    categories: CATEGORIES,
    sources: SOURCES,
    cacheMaxAgeSeconds: 300,
    health: () => health,
    adminToken: null,
    websubHub: hub,
    onAdminCrawl: (id) => {
      crawls.push(id);
      return options.crawlAccepts === false ? { accepted: false, reason: 'already running' } : { accepted: true };
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: buf.toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    store,
    metrics,
    health,
    crawls,
    request,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
