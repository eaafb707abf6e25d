import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump as stringify } from 'js-yaml';
import { runServe } from './commands/serve.js';
import { loadReplaySite, startReplayPortal } from './replay/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm run demo`: the replay portal on 127.0.0.1 and the service pointed at it, with a fresh embedded store. */
async function demo(): Promise<void> {
  const site = loadReplaySite(join(root, 'examples/portal'));
  const portal = await startReplayPortal({ ...site, host: '127.0.0.1', port: 0 });
  const port = Number(process.env.PORT ?? 8080);
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'portalfeed-demo-'));
  // Ctrl-C and SIGTERM end runServe normally (finally below); this catches every other way out.
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const config = {
    server: { port, publicUrl },
    store: { redisUrl: null, dataDir: join(dir, 'data') },
    feed: { title: 'Tin tức tỉnh Quảng Trị (demo)', description: 'Bản trình diễn trên cổng phát lại', language: 'vi', maxItems: 50 },
    tagging: { taxonomyFile: join(root, 'config/categories.yaml') },
    sources: [
      {
        id: 'quangtri',
        name: 'Cổng Thông tin điện tử tỉnh Quảng Trị (bản phát lại)',
        baseUrl: portal.url,
        schedule: '*/15 * * * *',
        sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
        linkPattern: '^/(tin-tuc/[a-z0-9-]+|(vi/)?chi-tiet-tin/-/view-article/.+)$',
        maxPages: 3,
        http: { timeoutMs: 5000, retries: 1, concurrency: 2, delayMs: 50 },
      },
    ],
  };
  const file = join(dir, 'demo.yaml');
  writeFileSync(file, stringify(config));
  process.stdout.write(
    `replay portal: ${portal.url}\nconfig: ${file}\nfeeds: ${publicUrl}/feed.xml  ${publicUrl}/atom.xml  ${publicUrl}/feed.json\n` +
      `home page: ${publicUrl}/   (Ctrl-C to stop)\n`,
  );
  try {
    await runServe({ config: file, initialCrawl: true, env: demoEnv(process.env) });
  } finally {
    await portal.close();
    removeDir();
  }
}

/** The demo always runs on its own fresh embedded store: a REDIS_URL or DATA_DIR set for real use must not redirect it. */
function demoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...env };
  for (const name of Object.keys(kept)) if (name.startsWith('REDIS_') || name === 'DATA_DIR' || name === 'PORTALFEED_CONFIG') delete kept[name];
  return kept;
}

demo().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
