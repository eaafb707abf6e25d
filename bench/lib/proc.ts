import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { onCleanup, trackPid } from './cleanup.js';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly startedAt: number;
  output(): string;
  stdout(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Spawns `node ...args` in the repository root; stdout+stderr are collected (and so drained). */
export function spawnNode(args: string[], env: Record<string, string | undefined> = {}): Child {
  const startedAt = performance.now();
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not spawn node ${args.join(' ')}`);
  const pid = proc.pid;
  const untrack = trackPid(pid);
  let text = '';
  let out = '';
  const collect = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-200_000);
  };
  proc.stdout?.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-2_000_000);
    collect(chunk);
  });
  proc.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = onCleanup(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    untrack();
  });
  return {
    proc,
    pid,
    startedAt,
    output: () => text,
    stdout: () => out,
    waitFor: (pattern, timeoutMs = 20_000) => waitForOutput(() => text, proc, pattern, timeoutMs),
    stop,
  };
}

function waitForOutput(text: () => string, proc: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = text().match(pattern);
      if (match) finish(() => resolve(match));
      return match !== null;
    };
    const onExit = (): void => finish(() => reject(new Error(`process exited before printing ${pattern}:\n${text().slice(-2000)}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${pattern}:\n${text().slice(-2000)}`))), timeoutMs);
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      proc.stdout?.off('data', check);
      proc.stderr?.off('data', check);
      proc.off('exit', onExit);
      settle();
    };
    if (check()) return;
    proc.stdout?.on('data', check);
    proc.stderr?.on('data', check);
    proc.once('exit', onExit);
  });
}

/** Runs `node ...args` to completion and returns stdout; throws with stderr on a non-zero exit. */
export async function runNode(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawnNode(args, env);
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', (c) => resolve(c)));
  await child.stop();
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}:\n${child.output().slice(-3000)}`);
  return child.stdout();
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function vmRssMb(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
