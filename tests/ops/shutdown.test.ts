import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, ROOT, openEmbeddedStore } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';

describe('graceful shutdown during a crawl', () => {
  let portal: ReplayPortal;
  let dir: string;

  beforeAll(async () => {
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-shutdown-'));
  });
  afterAll(async () => {
    await portal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // store.thread: the embedded store in its worker thread, closed (and the thread ended) by the same shutdown.
  it.each([false, true])(
    'SIGTERM mid-crawl: the crawl is aborted at the deadline, no half item is stored, exit 0 (store.thread %s)',
    async (thread) => {
      portal.reset();
      // One article answers slowly, so the crawl is still running when the signal arrives.
      portal.setFault('/tin-tuc/ngay-hoi-van-hoa-the-thao-cac-dan-toc-huyen-huong-hoa', { kind: 'slow', delayMs: 20_000 });
      const config = join(dir, `config-${thread}.yaml`);
      writeFileSync(
        config,
        stringify({
          server: { port: 0, publicUrl: 'http://localhost:8080' },
          store: { redisUrl: null, dataDir: join(dir, `data-${thread}`), thread },
          feed: { title: 'Tin tức', language: 'vi', maxItems: 50 },
          crawl: { shutdownGraceMs: 1000 },
          tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
          sources: [
            {
              id: 'quangtri',
              name: 'Quảng Trị',
              baseUrl: portal.url,
              sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
              linkPattern: '^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$',
              http: { timeoutMs: 30_000, retries: 0, delayMs: 0 },
            },
          ],
        }),
      );
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve', '--config', config], {
        cwd: ROOT,
        env: childEnv({ LOG_LEVEL: 'info', NODE_ENV: 'production' }),
      });
      let logs = '';
      child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
      child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
      const deadline = Date.now() + 20_000;
      while (!portal.requests.some((r) => r.path.startsWith('/tin-tuc/ngay-hoi')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code, logs).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(logs).toMatch(/shutting down/);
      expect(logs).toMatch(/stopped/);

      const store = await openEmbeddedStore(join(dir, `data-${thread}`));
      try {
        const items = await store.latest({ limit: 100 });
        expect(items.length).toBeGreaterThanOrEqual(3);
        for (const item of items) {
          expect(item.title).not.toBe('');
          expect(item.contentHtml.length).toBeGreaterThan(100);
          expect(item.guid).toBeTruthy();
        }
      } finally {
        await store.close();
      }
    },
    40_000,
  );
});
