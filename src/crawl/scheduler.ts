import { createTask, schedule, type ScheduledTask } from 'node-cron';
import type { SourceConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { Crawler } from './crawler.js';

export const SCHEDULE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface Scheduler {
  stop(): Promise<void>;
}

/** One cron task per enabled source; a tick never overlaps the source's running crawl. */
export function startScheduler(crawler: Crawler, sources: SourceConfig[], logger: Logger): Scheduler {
  const tasks: ScheduledTask[] = [];
  for (const source of sources.filter((s) => s.enabled)) {
    const task = schedule(
      source.schedule,
      async (context) => {
        await crawler.run(source.id, { tick: context.date });
      },
      { timezone: SCHEDULE_TIME_ZONE, name: `crawl:${source.id}`, noOverlap: true },
    );
    crawler.status.setPeriod(source.id, schedulePeriodMs(source.schedule));
    logger.info({ source: source.id, schedule: source.schedule, next: task.getNextRun()?.toISOString() }, 'crawl scheduled');
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
