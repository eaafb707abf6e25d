import { resolve } from 'node:path';
import { loadReplaySite, startReplayPortal } from '../replay/index.js';

/** Serves a saved portal until interrupted: the offline stand-in for a real portal. */
export async function runReplay(opts: { site: string; port: number; host: string }): Promise<void> {
  const site = loadReplaySite(resolve(opts.site));
  const portal = await startReplayPortal({ ...site, port: opts.port, host: opts.host });
  process.stdout.write(`replay portal serving ${opts.site} at ${portal.url}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await portal.close();
}
