import { createApp } from '../app.js';
import { exportFeeds } from '../serve/index.js';
import { commandLogger, loadCommandConfig } from './common.js';

export async function runExport(opts: { config?: string; out: string }): Promise<void> {
  const config = loadCommandConfig(opts.config);
  const logger = commandLogger(config);
  const app = await createApp(config, logger);
  try {
    await app.store.ping();
    await app.publisher.refresh();
    const written = await exportFeeds(app.publisher, opts.out, { logger });
    process.stdout.write(`wrote ${written.length} files to ${opts.out}\n`);
  } finally {
    await app.close();
  }
}
