import { createTask, schedule, type ScheduledTask } from 'node-cron';
import type { SourceConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { Crawler } from './crawler.js';

export const SCHEDULE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * One cron task per distinct schedule, running its enabled sources at each tick; a tick skips a source whose run is
 * still running or queued. A task per source cost node-cron 250 ms of the event loop for 300 sources at start (the
 * periods as much again), while the server already answered.
 */
export function startScheduler(crawler: Crawler, sources: SourceConfig[], logger: Logger): Scheduler {
  const groups = new Map<string, SourceConfig[]>();
  for (const source of sources.filter((s) => s.enabled)) {
    const group = groups.get(source.schedule) ?? [];
    group.push(source);
    groups.set(source.schedule, group);
  }
  const tasks: ScheduledTask[] = [];
  for (const [expression, group] of groups) {
    const task = schedule(
      expression,
      async (context) => {
        const due = group.filter((source) => !crawler.isRunning(source.id));
        await Promise.all(due.map((source) => crawler.run(source.id, { tick: context.date })));
      },
      { timezone: SCHEDULE_TIME_ZONE, name: `crawl:${expression}` },
    );
    const period = schedulePeriodMs(expression);
    const next = task.getNextRun()?.toISOString();
    for (const source of group) {
      crawler.status.setPeriod(source.id, period);
      logger.info({ source: source.id, schedule: expression, next }, 'crawl scheduled');
    }
    tasks.push(task);
  }
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}

/** `Cache-Control: max-age` for feeds: half the shortest crawl period, between 1 and 30 minutes. */
export function cacheMaxAgeSeconds(periodsMs: number[]): number {
  const positive = periodsMs.filter((p) => p > 0);
  const shortest = positive.length ? Math.min(...positive) : 30 * 60_000;
  return Math.max(60, Math.min(1800, Math.round(shortest / 2000)));
}

/** The time between the next two ticks of a cron expression, in the schedule's time zone. */
export function schedulePeriodMs(expression: string): number | null {
  const task = createTask(expression, () => undefined, { timezone: SCHEDULE_TIME_ZONE });
  const [first, second] = task.getNextRuns(2);
  void task.destroy();
  return first && second ? second.getTime() - first.getTime() : null;
}
