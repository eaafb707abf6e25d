import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { ROOT, openEmbeddedStore } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';
import { articlePath, pagedSite } from '../helpers/paged-site.js';

function crawl(configFile: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'crawl', '--config', configFile], {
    cwd: ROOT,
    env: childEnv({ LOG_LEVEL: 'warn', NODE_ENV: 'test' }),
  });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
  return { child, done };
}

describe('SIGKILL of a CLI crawl', () => {
  let portal: ReplayPortal;
  let dir: string;
  let configFile: string;
  let total: number;

  beforeAll(async () => {
    const site = pagedSite(3, 8);
    total = site.total;
    portal = await startReplayPortal({ routes: site.routes, host: '127.0.0.1', port: 0 });
    for (let n = 1; n <= total; n++) portal.setFault(articlePath(n), { kind: 'slow', delayMs: 40 });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-kill-'));
    configFile = join(dir, 'portalfeed.yaml');
    writeFileSync(
      configFile,
      stringify({
        server: { port: 8080, publicUrl: 'http://localhost:8080' },
        store: { redisUrl: null, dataDir: join(dir, 'data') },
        feed: { title: 'Tin tức', description: '...', language: 'vi', maxItems: 50 },
        tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
        sources: [
          {
            id: 'quangtri',
            name: 'Quảng Trị',
            baseUrl: portal.url,
            schedule: '*/15 * * * *',
            sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
            linkPattern: '^/tin-tuc/[a-z0-9-]+$',
            maxPages: 5,
            http: { timeoutMs: 15000, retries: 0, concurrency: 2, delayMs: 0 },
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await portal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('then one normal run leaves every article stored exactly once', async () => {
    const killed = crawl(configFile);
    const articleRequests = () => portal.requests.filter((r) => r.path.startsWith('/tin-tuc/')).length;
    // Killed in the middle of the second listing page's articles.
    while (articleRequests() < 11) await new Promise((r) => setTimeout(r, 10));
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');

    const before = await openEmbeddedStore(join(dir, 'data'));
    const kept = (await before.stats()).items;
    await before.close();
    expect(kept).toBeLessThan(total);

    const resumed = await crawl(configFile).done;
    expect(resumed.code).toBe(0);
    const news = Number(/(\d+) new/.exec(resumed.stdout)?.[1]);
    if (Number.isNaN(news)) throw new Error(`no summary line in: ${resumed.stdout}`);
    expect(news).toBe(total - kept);
    const after = await openEmbeddedStore(join(dir, 'data'));
    expect((await after.stats()).items).toBe(total);
    expect(await after.getState('pending:quangtri')).toBeNull();
    await after.close();
  }, 60_000);
});
