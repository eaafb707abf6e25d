import type { RunQueueSnapshot } from '../core/types.js';

export type { RunQueueSnapshot };

interface Waiter {
  id: string;
  since: number;
  grant: (release: () => void) => void;
  refuse: (reason: unknown) => void;
}

/**
 * A global cap on runs at once, granted strictly in arrival order. The crawler lets a source in at most
 * once (running or waiting), so when hundreds of schedules fire together each waits for at most the
 * sources ahead of it: none starves, none runs twice.
 */
export class RunQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly onChange: (snapshot: RunQueueSnapshot) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves with a release function once a slot is free; rejects when aborted or drained while waiting. */
  acquire(id: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        this.changed();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        id,
        since: this.now(),
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        refuse: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.pump();
    });
  }

  /** Refuses every waiting run (shutdown); running ones keep their slots. */
  drain(reason: unknown): void {
    for (const waiter of this.waiting.splice(0)) waiter.refuse(reason);
    this.changed();
  }

  snapshot(): RunQueueSnapshot {
    const first = this.waiting[0];
    return {
      concurrency: this.concurrency,
      running: this.active,
      queued: this.waiting.length,
      oldestWaitMs: first ? Math.round(this.now() - first.since) : 0,
      queuedSources: this.waiting.map((w) => w.id),
    };
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const waiter = this.waiting.shift() as Waiter;
      this.active++;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        this.active--;
        this.pump();
      });
    }
    this.changed();
  }

  private changed(): void {
    this.onChange(this.snapshot());
  }
}
