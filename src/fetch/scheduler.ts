/** Per-host politeness: at most `concurrency` in flight and `delayMs` between request starts. */

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface HostState {
  host: string;
  active: number;
  lastStart: number;
  queue: Waiter[];
  timer: NodeJS.Timeout | null;
}

export interface HostSchedulerOptions {
  concurrency: number;
  delayMs: number;
  now?: () => number;
}

export class HostScheduler {
  private readonly hosts = new Map<string, HostState>();
  /** Per-host delays above the default, e.g. from a robots.txt Crawl-delay. */
  private readonly hostDelays = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: HostSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves with a release function once a slot for `host` is free and the delay has passed. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.state(host);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = state.queue.indexOf(waiter);
          if (index >= 0) state.queue.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      state.queue.push(waiter);
      this.pump(state);
    });
  }

  /** Raises (never lowers below the default) the delay between request starts for one host. */
  setHostDelay(host: string, delayMs: number | null): void {
    if (delayMs === null || delayMs <= this.options.delayMs) this.hostDelays.delete(host);
    else this.hostDelays.set(host, delayMs);
  }

  /** Pending and running requests per host (for tests and diagnostics). */
  snapshot(): Record<string, { active: number; queued: number }> {
    const out: Record<string, { active: number; queued: number }> = {};
    for (const [host, s] of this.hosts) out[host] = { active: s.active, queued: s.queue.length };
    return out;
  }

  close(): void {
    for (const state of this.hosts.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    }
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { host, active: 0, lastStart: -Infinity, queue: [], timer: null };
      this.hosts.set(host, state);
    }
    return state;
  }

  private pump(state: HostState): void {
    while (state.queue.length > 0 && state.active < this.options.concurrency && !state.timer) {
      const delay = this.hostDelays.get(state.host) ?? this.options.delayMs;
      const wait = state.lastStart + delay - this.now();
      if (wait > 0) {
        state.timer = setTimeout(() => {
          state.timer = null;
          this.pump(state);
        }, Math.ceil(wait));
        return;
      }
      const waiter = state.queue.shift();
      if (!waiter) return;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      state.active++;
      state.lastStart = this.now();
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        state.active--;
        this.pump(state);
      });
    }
  }
}
