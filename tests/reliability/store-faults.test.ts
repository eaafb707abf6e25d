import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dump as stringify } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { itemGuidFor } from '../../src/store/index.js';
import { ROOT, openEmbeddedStore } from '../helpers/app.js';
import { builtCli, runCli } from '../helpers/built-cli.js';
import { articlePath, pagedSite } from '../helpers/paged-site.js';
import { canMountTmpfs, mountTmpfs, type Tmpfs } from '../helpers/tmpfs.js';

const MOUNTABLE = canMountTmpfs();
if (!MOUNTABLE) console.warn('disk-full crawl test skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)');

function writeConfig(file: string, portalUrl: string, dataDir: string, maxPages: number): void {
  writeFileSync(
    file,
    stringify({
      server: { port: 8080, publicUrl: 'http://localhost:8080' },
      store: { redisUrl: null, dataDir },
      feed: { title: 'Tin tức', description: '...', language: 'vi', maxItems: 50 },
      tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
      sources: [
        {
          id: 'quangtri',
          name: 'Quảng Trị',
          baseUrl: portalUrl,
          schedule: '*/15 * * * *',
          sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
          linkPattern: '^/tin-tuc/[a-z0-9-]+$',
          maxPages,
          http: { timeoutMs: 15000, retries: 0, concurrency: 2, delayMs: 0 },
        },
      ],
    }),
  );
}

/** The newest `count` articles, 10 per listing page, newest first: a portal that publishes as the test goes. */
function publish(portal: ReplayPortal, count: number): void {
  const pages = Math.ceil(count / 10);
  for (let page = 1; page <= pages; page++) {
    const links = [];
    for (let n = count - (page - 1) * 10; n > Math.max(0, count - page * 10); n--)
      links.push(`<li><a href="${articlePath(n)}">Bài viết số ${n}</a></li>`);
    const next = page < pages ? `<a href="/tin-tuc?page=${page + 1}">Trang sau</a>` : '';
    portal.setRoute(page === 1 ? '/tin-tuc' : `/tin-tuc?page=${page}`, {
      body: `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head>
<body><main><h1>Tin tức - Sự kiện</h1><ul class="news">${links.join('')}</ul><div class="paging">${next}</div></main></body></html>`,
    });
  }
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, 'portalfeed.db'));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Every stored item once per URL, with the guid it had when first seen (and the id derived from it). */
async function storedOnce(dataDir: string, guids: Map<string, string>): Promise<Item[]> {
  const store = await openEmbeddedStore(dataDir);
  try {
    const items = await store.latest({ limit: 10_000 });
    expect(new Set(items.map((i) => i.url)).size).toBe(items.length);
    expect((await store.stats()).items).toBe(items.length);
    for (const item of items) {
      expect(item.id).toBe(itemGuidFor(item.guid).id);
      expect(guids.get(item.url) ?? item.guid).toBe(item.guid);
      guids.set(item.url, item.guid);
    }
    return items;
  } finally {
    await store.close();
  }
}

describe('embedded store under a crawl: SIGKILL and a full disk', () => {
  let cli: string;
  let portal: ReplayPortal;
  let dir: string;
  const PER_RUN = 6;

  beforeAll(async () => {
    cli = builtCli();
    portal = await startReplayPortal({ routes: pagedSite(1, 400).routes, host: '127.0.0.1', port: 0 });
    for (let n = 1; n <= 400; n++) portal.setFault(articlePath(n), { kind: 'slow', delayMs: 25 });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-faults-'));
  }, 120_000);
  afterAll(async () => {
    await portal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a crawl SIGKILLed at random moments 20 times, recrawled at once each time, ends with every article once, guids unchanged', async () => {
    const dataDir = join(dir, 'kill-data');
    const config = join(dir, 'kill.yaml');
    writeConfig(config, portal.url, dataDir, 40);
    const guids = new Map<string, string>();
    let published = 0;
    let kills = 0;
    for (let run = 0; kills < 20 && run < 30; run++) {
      published += PER_RUN;
      publish(portal, published);
      const seen = portal.requests.length;
      const crawl = runCli(cli, ['crawl', '--config', config]);
      let timer: NodeJS.Timeout | undefined;
      // The moment is random within the crawl: from its first request to about when it would finish.
      const armed = (async () => {
        while (portal.requests.length === seen && crawl.child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
        timer = setTimeout(() => crawl.child.kill('SIGKILL'), Math.floor(Math.random() * 300));
      })();
      const result = await crawl.done;
      clearTimeout(timer);
      await armed;
      if (result.signal === 'SIGKILL') kills++;
      // A crawl right after a kill is never turned away by the dead process's lease.
      else expect([result.code, result.stdout]).toEqual([0, expect.stringMatching(/^quangtri: (ok|partial)/m)]);
      await storedOnce(dataDir, guids);
      expect(integrity(dataDir)).toBe('ok');
    }
    expect(kills).toBe(20);
    const final = await runCli(cli, ['crawl', '--config', config]).done;
    expect(final.code, final.stdout + final.stderr).toBe(0);
    const items = await storedOnce(dataDir, guids);
    expect(items.map((i) => i.url).sort()).toEqual(Array.from({ length: published }, (_, i) => `${portal.url}${articlePath(i + 1)}`).sort());
    expect(integrity(dataDir)).toBe('ok');
    console.log(`store faults: ${kills} SIGKILLs, ${published} articles stored once each`);
  }, 180_000);

  it.skipIf(!MOUNTABLE)(
    'a full disk: the run reports store errors and exits 1, nothing stored before is damaged, and after space is freed every article is there',
    async () => {
      const fs: Tmpfs = mountTmpfs(8192);
      try {
        const dataDir = join(fs.dir, 'data');
        const config = join(dir, 'full.yaml');
        writeConfig(config, portal.url, dataDir, 40);
        publish(portal, 10);
        const first = await runCli(cli, ['crawl', '--config', config]).done;
        expect(first.code, first.stdout + first.stderr).toBe(0);
        const guids = new Map<string, string>();
        const before = await storedOnce(dataDir, guids);
        expect(before).toHaveLength(10);

        // Room for the database's shared-memory file and a write or two, not for the new articles.
        fs.fill(96);
        publish(portal, 25);
        const full = await runCli(cli, ['crawl', '--config', config]).done;
        expect(full.code, full.stdout + full.stderr).toBe(1);
        expect(full.stdout).toMatch(/^quangtri: failed .*the store refused \d+ writes/m);
        expect(full.stdout + full.stderr).toMatch(/disk is full/);
        const reportedNew = Number(/(\d+) new/.exec(full.stdout)?.[1] ?? 0);
        const during = await storedOnce(dataDir, guids);
        expect(during.filter((i) => before.some((b) => b.id === i.id))).toEqual(before);
        expect(during.length).toBe(10 + reportedNew);
        expect(integrity(dataDir)).toBe('ok');

        // Full to the last byte, a crawl cannot even open the database: one clear line, exit 1.
        fs.fill();
        const none = await runCli(cli, ['crawl', '--config', config]).done;
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(/store .*portalfeed\.db: the disk is full/);
        expect(await storedOnce(dataDir, guids)).toEqual(during);

        fs.free();
        const after = await runCli(cli, ['crawl', '--config', config]).done;
        expect(after.code, after.stdout + after.stderr).toBe(0);
        const items = await storedOnce(dataDir, guids);
        expect(items).toHaveLength(25);
        expect(integrity(dataDir)).toBe('ok');
      } finally {
        fs.unmount();
      }
    },
    120_000,
  );
});
