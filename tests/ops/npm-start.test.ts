import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';

/** Every process below pid (children, their children, …), from /proc. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function alive(pid: number): boolean {
  try {
    // a zombie is gone for our purpose: it holds no port and runs no code
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('npm start under a process manager', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-start-'));
    // `npm start` builds first (prestart); the signal path is what is tested here, so an existing build will do
    if (!existsSync(join(ROOT, 'dist/cli.js'))) spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM to npm reaches `node dist/cli.js serve`, which shuts down; no orphan is left', async () => {
    const config = join(dir, 'portalfeed.yaml');
    writeFileSync(
      config,
      stringify({
        server: { port: 0 },
        store: { redisUrl: null, dataDir: join(dir, 'data') },
        feed: { title: 't' },
        tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
        sources: [{ id: 'a', name: 'A', baseUrl: 'http://127.0.0.1:9', sections: [{ id: 's', name: 'S', url: '/' }] }],
      }),
    );
    const npm = spawn('npm', ['start', '--ignore-scripts', '--', '--no-initial-crawl'], {
      cwd: ROOT,
      env: childEnv({ PORTALFEED_CONFIG: config, NODE_ENV: 'production' }),
    });
    let logs = '';
    npm.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const npmExit = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    // signal handlers are in place once the scheduler has started
    while (!/crawl scheduled/.test(logs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(logs).toMatch(/crawl scheduled/);
    const tree = descendants(npm.pid!);
    expect(tree.length).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    await npmExit;
    const gone = Date.now() + 10_000;
    while (tree.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    const left = tree.filter(alive);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left, logs).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs, logs).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
    expect(logs).toMatch(/"msg":"stopped"/);
  }, 60_000);
});
