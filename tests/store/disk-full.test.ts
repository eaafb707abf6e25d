import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { openStore, type OpenStore } from '../../src/store/index.js';
import { canMountTmpfs, mountTmpfs, type Tmpfs } from '../helpers/tmpfs.js';
import { fromArticle, storeOptionsFor, uniqueArticle } from './helpers.js';

const MOUNTABLE = canMountTmpfs();
if (!MOUNTABLE) console.warn('disk-full store tests skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)');

const open = (dataDir: string, kind: 'embedded' | 'threaded' = 'embedded'): Promise<OpenStore> =>
  openStore(storeOptionsFor(kind, { dataDir, keyPrefix: '', redisUrl: '' }));
const article = (i: number) =>
  fromArticle(uniqueArticle(i), `https://www.quangtri.gov.vn/tin-tuc/bai-${i}`, { publishedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() });

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe.skipIf(!MOUNTABLE)('embedded store on a full disk (a real 8 MiB tmpfs)', () => {
  let fs: Tmpfs | undefined;
  const stores: OpenStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    fs?.unmount();
    fs = undefined;
  });

  it.each(['embedded', 'threaded'] as const)(
    '%s: refuses writes with STORE_FAILED naming the file, damages nothing, and takes writes again once space is freed',
    async (kind) => {
      fs = mountTmpfs(8192);
      const dataDir = join(fs.dir, 'data');
      const file = join(dataDir, 'portalfeed.db');
      const store = await open(dataDir, kind);
      stores.push(store);
      const acked = new Map<string, Item>();
      for (let i = 0; i < 10; i++) {
        const out = await store.upsert(article(i));
        acked.set(out.item.url, out.item);
      }
      await store.setValidators('https://www.quangtri.gov.vn/tin-tuc', { etag: '"1"', lastModified: null }, 'quangtri');
      const before = await store.latest({ limit: 100 });

      fs.fill();
      const failures: unknown[] = [];
      for (let i = 10; i < 40; i++) {
        try {
          const out = await store.upsert(article(i));
          acked.set(out.item.url, out.item);
        } catch (err) {
          failures.push(err);
        }
      }
      expect(failures.length).toBeGreaterThan(0);
      expect(failures[0]).toMatchObject({ code: 'STORE_FAILED', message: expect.stringContaining(file) });
      expect((failures[0] as Error).message).toMatch(/disk is full.*SQLITE_FULL/);
      await expect(store.setState('pending:quangtri', ['x'.repeat(200_000)])).rejects.toMatchObject({ code: 'STORE_FAILED' });

      // Everything stored before is intact, for this process and for a fresh one, while the disk is still full.
      expect((await store.latest({ limit: 100 })).filter((i) => before.some((b) => b.id === i.id))).toEqual(before);
      const reader = await open(dataDir, kind);
      stores.push(reader);
      for (const [url, item] of acked) expect(await reader.get(item.id), url).toEqual(item);
      expect(await reader.getValidators('https://www.quangtri.gov.vn/tin-tuc', 'quangtri')).toEqual({ etag: '"1"', lastModified: null });
      expect(integrity(file)).toBe('ok');

      fs.free();
      for (let i = 10; i < 40; i++) {
        const out = await store.upsert(article(i));
        expect(acked.has(out.item.url) ? out.status : 'new').toMatch(/^(new|unchanged)$/);
        acked.set(out.item.url, out.item);
      }
      await store.close();
      await reader.close();
      stores.splice(0);
      const after = await open(dataDir, kind);
      stores.push(after);
      const all = await after.latest({ limit: 100 });
      expect(all).toHaveLength(40);
      for (const [, item] of acked) expect((await after.get(item.id))?.guid).toBe(item.guid);
      expect(integrity(file)).toBe('ok');
    },
    30_000,
  );

  it('a read-only data dir is a StoreError naming the directory, not a raw EROFS', async () => {
    fs = mountTmpfs(256);
    const dataDir = join(fs.dir, 'data');
    const first = await open(dataDir);
    await first.close();
    fs.remount(true);
    await expect(open(dataDir)).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(`store data dir ${dataDir} is not writable (EROFS)`),
    });
    await expect(open(join(fs.dir, 'other'))).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(join(fs.dir, 'other')),
    });
    fs.remount(false);
  });
});
