import { once } from 'node:events';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ERROR_RULES, PortalfeedError, StoreError, type ErrorCode } from '../core/errors.js';
import type {
  ChangeQuery,
  GoneOutcome,
  HttpValidators,
  Item,
  ItemCandidate,
  ItemChange,
  ItemQuery,
  ItemStore,
  Lease,
  LeaseHolder,
  LeaseLock,
  RecheckTarget,
  StoreStats,
  UpsertOutcome,
} from '../core/types.js';
import { startWorkerThread } from '../core/worker-thread.js';
import { DB_FILE, type OpenStore, type StoreOptions } from './options.js';

/** What the store thread is asked: an ItemStore method, the lease lock's, a lease's by its token, or open/close. */
export type StoreOp = Exclude<keyof ItemStore, 'kind'> | 'open' | 'acquire' | 'holder' | 'renew' | 'release';
export interface StoreCall {
  id: number;
  op: StoreOp;
  args: unknown[];
}
export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** A log line of the store thread, written by this thread's logger. */
export interface LogRecord {
  log: LogLevel;
  bindings: Record<string, unknown>;
  obj: Record<string, unknown>;
  err?: WireError;
  msg?: string;
}

export interface StoreWorkerData {
  options: Omit<StoreOptions, 'logger' | 'thread'>;
  /** The levels the caller's logger writes: the thread does not send the others. */
  levels: LogLevel[];
}

/** An error as it crosses the thread boundary: class (by code), message, details, stack and cause survive. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
  stack?: string;
  cause?: WireError;
}

export function toWire(err: unknown, depth = 0): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: err.message,
    ...(err.stack ? { stack: err.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(err instanceof PortalfeedError ? { details: err.details } : {}),
    ...(err.cause !== undefined && depth < 5 ? { cause: toWire(err.cause, depth + 1) } : {}),
  };
}

export function fromWire(wire: WireError): Error {
  const cause = wire.cause && fromWire(wire.cause);
  const options = { ...(cause ? { cause } : {}), details: wire.details ?? {} };
  const code = wire.code;
  let err: Error;
  if (code && code in ERROR_RULES) {
    err = code.startsWith('STORE_')
      ? new StoreError(code as Extract<ErrorCode, `STORE_${string}`>, wire.message, options)
      : new PortalfeedError(code as ErrorCode, wire.message, options);
  } else {
    // A driver's error (SqliteError with its SQLITE_* code) or a plain one: its name and code, not its class.
    err = Object.assign(new Error(wire.message, cause ? { cause } : undefined), { name: wire.name }, code ? { code } : {});
  }
  if (wire.stack) err.stack = wire.stack;
  return err;
}

interface Task {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
  write: boolean;
}

/** What SqliteStore runs one at a time, in its write queue. */
const QUEUED_WRITES: ReadonlySet<StoreOp> = new Set<StoreOp>(['upsert', 'markGone', 'markPresent', 'trim']);
/**
 * Queued writes sent ahead to the thread; later ones wait here, in order. The thread takes every message it is sent
 * at once, so a crawl's backlog of candidates, all sent, would be held twice: here by the crawl and copied there. A
 * few ahead keep the store busy and its group commits shared.
 */
const WRITES_AHEAD = 16;

/**
 * The embedded store (SqliteStore) in a worker thread of its own, behind the same interface: better-sqlite3 is
 * synchronous, so its decisions and writes otherwise run on the thread that answers HTTP (about half of serve's main
 * thread during a crawl). Calls are messages, answered in the order the store finishes them; a write is answered
 * once durable, as on the calling thread. The worker is ref'd only while a call waits, so an open store never keeps a
 * process alive, nor lets one awaiting it exit with an empty event loop.
 */
export class ThreadedStore implements OpenStore {
  readonly kind = 'embedded' as const;
  readonly lock: LeaseLock;
  readonly file: string;
  private readonly pending = new Map<number, Task>();
  private readonly held: Array<{ op: StoreOp; args: unknown[]; task: Task }> = [];
  private writesSent = 0;
  private nextId = 1;
  private failure: StoreError | null = null;
  private closing: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly options: StoreOptions,
  ) {
    this.file = join(options.dataDir, DB_FILE);
    this.lock = {
      acquire: async (name, ttlMs) => {
        const taken = await this.call<{ name: string; token: string } | null>('acquire', [name, ttlMs]);
        return taken && this.lease(taken.name, taken.token);
      },
      holder: (name) => this.call<LeaseHolder | null>('holder', [name]),
    };
    worker.unref();
    worker.on('message', (message: StoreReply | LogRecord) => ('log' in message ? this.log(message) : this.answer(message)));
    worker.on('error', (err) =>
      this.fail(
        new StoreError('STORE_UNAVAILABLE', `store ${this.file}: the store thread failed (${err.message}); restart portalfeed`, { cause: err }),
      ),
    );
    worker.on('exit', (code) =>
      this.fail(
        this.closing
          ? new StoreError('STORE_UNAVAILABLE', `store ${this.file} is closed`)
          : new StoreError('STORE_UNAVAILABLE', `store ${this.file}: the store thread exited (code ${code}); restart portalfeed`),
      ),
    );
  }

  /** Starts the thread and opens the database there; a store that cannot open fails here as SqliteStore.open does. */
  static async open(options: StoreOptions): Promise<ThreadedStore> {
    const { logger, thread: _thread, ...rest } = options;
    const workerData: StoreWorkerData = { options: rest, levels: LOG_LEVELS.filter((level) => logger.isLevelEnabled(level)) };
    const store = new ThreadedStore(startWorkerThread(import.meta.url, 'store-worker', { workerData }), options);
    try {
      await store.call('open', []);
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private call<T>(op: StoreOp, args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing && op !== 'close') return Promise.reject(new StoreError('STORE_UNAVAILABLE', `store ${this.file} is closed`));
    return new Promise<T>((resolve, reject) => {
      const task: Task = { resolve: resolve as (value: never) => void, reject, write: QUEUED_WRITES.has(op) };
      if (task.write && this.writesSent >= WRITES_AHEAD) this.held.push({ op, args, task });
      else this.send(op, args, task);
    });
  }

  private send(op: StoreOp, args: unknown[], task: Task): void {
    const id = this.nextId++;
    try {
      this.worker.postMessage({ id, op, args } satisfies StoreCall);
    } catch (cause) {
      task.reject(new StoreError('STORE_FAILED', `store ${this.file}: ${op} got arguments that cannot be sent to the store thread`, { cause }));
      return;
    }
    if (task.write) this.writesSent++;
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, task);
  }

  private answer(reply: StoreReply): void {
    const task = this.pending.get(reply.id);
    if (!task) return;
    this.pending.delete(reply.id);
    if (task.write) this.writesSent--;
    while (this.writesSent < WRITES_AHEAD && this.held.length > 0) {
      const next = this.held.shift() as (typeof this.held)[number];
      this.send(next.op, next.args, next.task);
    }
    if (this.pending.size === 0) this.idle();
    if (reply.ok) task.resolve(reply.value as never);
    else task.reject(fromWire(reply.error));
  }

  /** While closing the worker stays ref'd until it has exited. */
  private idle(): void {
    if (!this.closing) this.worker.unref();
    this.drained?.();
  }

  private fail(err: StoreError): void {
    if (this.failure) return;
    this.failure = err;
    if (!this.closing) this.options.logger.error({ err }, err.message);
    for (const task of this.pending.values()) task.reject(err);
    for (const { task } of this.held) task.reject(err);
    this.pending.clear();
    this.held.length = 0;
    this.idle();
  }

  private log(record: LogRecord): void {
    const logger = Object.keys(record.bindings).length > 0 ? this.options.logger.child(record.bindings) : this.options.logger;
    logger[record.log](record.err ? { ...record.obj, err: fromWire(record.err) } : record.obj, record.msg);
  }

  private lease(name: string, token: string): Lease {
    return {
      name,
      token,
      renew: () => this.call<boolean>('renew', [token]),
      release: () => this.call<void>('release', [token]),
    };
  }

  knows(url: string, sourceId?: string): Promise<boolean> {
    return this.call('knows', [url, sourceId]);
  }
  upsert(candidate: ItemCandidate, now?: Date): Promise<UpsertOutcome> {
    return this.call('upsert', [candidate, now]);
  }
  latest(query: ItemQuery): Promise<Item[]> {
    return this.call('latest', [query]);
  }
  get(id: string): Promise<Item | null> {
    return this.call('get', [id]);
  }
  stats(): Promise<StoreStats> {
    return this.call('stats', []);
  }
  version(): Promise<string> {
    return this.call('version', []);
  }
  getValidators(url: string, scope?: string): Promise<HttpValidators | null> {
    return this.call('getValidators', [url, scope]);
  }
  setValidators(url: string, validators: HttpValidators, scope?: string): Promise<void> {
    return this.call('setValidators', [url, validators, scope]);
  }
  getState<T = unknown>(name: string): Promise<T | null> {
    return this.call('getState', [name]);
  }
  setState(name: string, value: unknown): Promise<void> {
    return this.call('setState', [name, value]);
  }
  markGone(id: string, status: number, now?: Date): Promise<GoneOutcome> {
    return this.call('markGone', [id, status, now]);
  }
  markPresent(id: string, now?: Date): Promise<boolean> {
    return this.call('markPresent', [id, now]);
  }
  changes(query: ChangeQuery): Promise<ItemChange[]> {
    return this.call('changes', [query]);
  }
  history(id: string): Promise<ItemChange[]> {
    return this.call('history', [id]);
  }
  recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]> {
    return this.call('recheckTargets', [sourceId, since]);
  }
  trim(now?: Date): Promise<number> {
    return this.call('trim', [now]);
  }
  ping(): Promise<void> {
    return this.call('ping', []);
  }

  /** Lets the calls already made finish, closes the database in the thread, and waits for the thread to end. */
  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.worker.ref();
    if (this.pending.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.failure) return;
    const exited = once(this.worker, 'exit');
    try {
      await this.call('close', []);
    } finally {
      await exited;
    }
  }
}
