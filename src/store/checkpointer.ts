import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What one checkpoint did, as `PRAGMA wal_checkpoint` reports it (frames of the WAL and frames copied). */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** Copies the WAL into the database file from a connection of its own, in a worker thread. */
export interface Checkpointer {
  checkpoint(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

/**
 * A PASSIVE checkpoint never waits for a writer; one that a commit overtook copies the few frames left at once, so that
 * the next write finds the WAL copied whole and starts it again from its beginning (a WAL never copied whole grows).
 * The connection syncs as the writer's does (synchronous NORMAL: the WAL before copying, the database file after).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    for (let attempt = 1; attempt < workerData.attempts && result.log !== result.checkpointed; attempt++) {
      result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    }
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
`;

const CHECKPOINT_ATTEMPTS = 3;

type Answer = { ok: true; result: CheckpointResult } | { ok: false; message: string };

/** Starts the worker at once; checkpoints run one at a time, in the order asked. */
export function startCheckpointer(file: string, busyTimeoutMs: number): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, busyTimeoutMs, attempts: CHECKPOINT_ATTEMPTS } });
  worker.unref();
  const waiting: Array<{ resolve: (result: CheckpointResult) => void; reject: (err: Error) => void }> = [];
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    for (const task of waiting.splice(0)) task.reject(failure);
    worker.unref();
  };
  // Unref'd while idle, so an open store never keeps a process alive; ref'd while a checkpoint is awaited, or a
  // process awaiting only that checkpoint would see an empty event loop and exit (code 13) mid-write.
  const settle = () => {
    if (waiting.length === 0) worker.unref();
  };
  worker.on('message', (answer: Answer) => {
    const task = waiting.shift();
    settle();
    if (answer.ok) task?.resolve(answer.result);
    else task?.reject(new Error(answer.message));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`checkpoint worker exited (code ${code})`)));
  return {
    checkpoint() {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.ref();
        worker.postMessage('checkpoint');
      });
    },
    async close() {
      if (failure) return;
      const exited = once(worker, 'exit');
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
