import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getPriority, setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** tsx's loader for a worker of TypeScript sources (tests, `node --import tsx`); a built install never needs it. */
function tsxApi(): string {
  // The package's import condition, not its require one: the worker bootstrap imports it.
  return pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
}

/**
 * Starts the worker module `name` that sits next to the module at `moduleUrl`: its compiled `.js` in dist, or under
 * tsx/vitest (where the caller is TypeScript) its `.ts` through the same loader.
 */
export function startWorkerThread(moduleUrl: string, name: string, options: WorkerOptions): Worker {
  const typescript = moduleUrl.endsWith('.ts');
  const script = new URL(`./${name}${typescript ? '.ts' : '.js'}`, moduleUrl);
  if (!typescript) return new Worker(script, options);
  const bootstrap = `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Lowers the calling thread's scheduling priority (Linux keeps a nice value per thread; /proc/thread-self names it):
 * when the cores are short, the kernel then runs the thread answering HTTP requests first.
 */
export function lowerThreadPriority(increment: number): void {
  if (increment <= 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + increment));
  } catch {
    // Not Linux: the worker keeps the process's priority.
  }
}
