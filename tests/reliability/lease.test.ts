import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, startHarness, type Harness, type StoreKind } from '../helpers/app.js';

function holdLease(h: Harness, name: string): Promise<ChildProcess> {
  const { dataDir, redisUrl, keyPrefix } = h.config.store;
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/reliability/lease-holder.ts', dataDir, redisUrl ?? '-', keyPrefix, name], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => (d.toString().startsWith('held') ? resolve(child) : reject(new Error(d.toString()))));
    child.once('exit', (code) => reject(new Error(`lease holder exited with ${code}`)));
  });
}

describe.each<StoreKind>(['embedded', 'redis'])('crawl leases (%s store)', (kind) => {
  let h: Harness | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
  });

  it('a live holder is named in the skip and in /readyz; once its process is gone the lease is taken over at once', async () => {
    h = await startHarness(kind);
    child = await holdLease(h, 'crawl:quangtri');
    const skipped = await h.app.crawler.run('quangtri');
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.reason).toMatch(new RegExp(`lease held by pid ${child.pid} on host \\S+ until \\d{4}-\\d\\d-\\d\\dT`));
    const ready = (await (await fetch(`${h.url}/readyz`)).json()) as { sources: Array<{ lease: { pid: number; until: string } | null }> };
    expect(ready.sources[0]!.lease).toMatchObject({ pid: child.pid });
    expect(Date.parse(ready.sources[0]!.lease!.until)).toBeGreaterThan(Date.now() + 60_000);

    child.kill('SIGKILL');
    await once(child, 'exit');
    const ran = await h.app.crawler.run('quangtri');
    expect(ran).toMatchObject({ outcome: 'partial', new: 4 });
    const after = (await (await fetch(`${h.url}/readyz`)).json()) as { sources: Array<{ lease: unknown }> };
    expect(after.sources[0]!.lease).toBeNull();
  }, 30_000);
});
