/** Cleanup that runs even when a section throws or the bench is interrupted: LIFO, each task at most once. */
type Task = () => unknown;

const tasks: Task[] = [];
const livePids = new Set<number>();
let installed = false;

/** Registers a task; the returned function runs it now (and unregisters it). */
export function onCleanup(task: Task): () => Promise<void> {
  tasks.push(task);
  return async () => {
    const at = tasks.indexOf(task);
    if (at === -1) return;
    tasks.splice(at, 1);
    await task();
  };
}

/** Child pids the synchronous exit hook must still kill if the async cleanup never ran. */
export function trackPid(pid: number): () => void {
  livePids.add(pid);
  return () => void livePids.delete(pid);
}

export async function runCleanup(): Promise<void> {
  while (tasks.length) {
    const task = tasks.pop() as Task;
    try {
      await task();
    } catch (err) {
      process.stderr.write(`bench: cleanup step failed: ${(err as Error).message}\n`);
    }
  }
}

export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
      void runCleanup().finally(() => process.exit(130));
    });
  }
  process.once('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}
