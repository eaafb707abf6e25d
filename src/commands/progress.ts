import type { CrawlProgress } from '../crawl/context.js';
import type { Logger } from '../core/log.js';

/** Backfill progress: a bar on a TTY, a log line every few seconds otherwise; with counts and an ETA. */
export function progressReporter(totalPages: number, logger: Logger, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let done = 0;
  let lastLog = 0;
  return {
    onProgress(progress: CrawlProgress): void {
      done += 1;
      const elapsed = Date.now() - started;
      const etaSeconds = done ? Math.round(((totalPages - done) * elapsed) / done / 1000) : 0;
      const s = progress.summary;
      const counts = `${s.new} new, ${s.duplicate + s.merged} duplicate, ${s.failed} failed`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.min(width, Math.round((done / Math.max(1, totalPages)) * width));
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${totalPages} pages · ${counts} · ETA ${etaSeconds}s `);
      } else if (Date.now() - lastLog > 5000 || done === totalPages) {
        lastLog = Date.now();
        logger.info(
          { pages: done, totalPages, etaSeconds, source: progress.source },
          `backfill ${done}/${totalPages} pages, ${counts}, ETA ${etaSeconds}s`,
        );
      }
    },
    end(): void {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
