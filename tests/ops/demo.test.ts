import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { childEnv } from '../helpers/env.js';

interface DemoRun {
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

function startDemo(env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/demo.ts')], { cwd: ROOT, env: childEnv(env) });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

async function waitFor(run: DemoRun, pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run demo', () => {
  it.each<NodeJS.Signals>(['SIGINT', 'SIGTERM'])(
    'crawls its replay portal into a fresh embedded store (whatever REDIS_URL says), and %s removes its temporary folder',
    async (signal) => {
      const run = startDemo({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1', DATA_DIR: '/nonexistent' });
      const dir = dirname((await waitFor(run, /^config: (.+\/portalfeed-demo-[^/]+\/demo\.yaml)$/m))[1]!);
      expect(existsSync(dir)).toBe(true);
      // the line README quotes, with the one dead link the replay portal holds on purpose
      await waitFor(run, /"msg":"quangtri: partial \(1 of 6 articles failed\), 2 listing pages \(0 not modified\), 4 articles fetched, 4 new/);
      expect(run.output()).toMatch(/"store":"embedded"/);
      run.kill(signal);
      expect(await run.exited, run.output()).toBe(0);
      expect(existsSync(dir)).toBe(false);
    },
    60_000,
  );

  it('removes its temporary folder when it cannot start', async () => {
    const run = startDemo({ PORT: 'abc' });
    const dir = dirname((await waitFor(run, /^config: (.+\/demo\.yaml)$/m))[1]!);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/demo: invalid config .*server\.port/);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});
