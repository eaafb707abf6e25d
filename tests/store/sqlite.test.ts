import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, promises as fsPromises, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Item } from '../../src/core/types.js';
import type { OpenStore } from '../../src/store/index.js';
import { HARVEST, ROAD } from './fixtures/articles.js';
import { ANCHOR_COUNT } from '../../src/store/simhash.js';
import { layout1Fingerprints, type DecisionReader, type StoredItem } from '../../src/store/decide.js';
import { candidate, fromArticle, layout1Anchors, makeBackend, sentenceAdded, uniqueArticle, type Backend } from './helpers.js';

const NOW = new Date('2024-02-01T00:00:00Z');
const LEGACY = fileURLToPath(new URL('./fixtures/legacy-data', import.meta.url));
const LEGACY_EXPECTED = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/legacy-expected.json', import.meta.url)), 'utf8')) as {
  items: Item[];
  validators: Record<string, unknown>;
};

function capture(level = 'warn'): { logger: ReturnType<typeof pino>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }), lines };
}

async function fill(store: OpenStore, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const a = uniqueArticle(i);
    await store.upsert(
      candidate({
        url: `https://x.vn/tin/${i}`,
        title: a.title,
        text: a.text,
        publishedAt: `2024-01-${String(1 + i).padStart(2, '0')}T00:00:00.000Z`,
      }),
      NOW,
    );
  }
}

/** A pid that no longer runs: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('embedded store (SQLite)', () => {
  let backend: Backend;
  const open: OpenStore[] = [];
  const openStore = async (overrides = {}) => {
    const s = await backend.open(overrides);
    open.push(s);
    return s;
  };
  const dbFile = () => join(backend.dataDir, 'portalfeed.db');
  const inspect = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(dbFile(), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    backend = makeBackend('embedded');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await backend.cleanup();
  });

  it('keeps everything in one WAL-mode file whose rows ops can read with plain SQL', async () => {
    const store = await openStore();
    await fill(store, 3);
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua', { categories: ['nong-nghiep'] }), NOW);
    await store.upsert(fromArticle(HARVEST, 'https://y.vn/lua', { sourceId: 'y' }), NOW);
    expect(inspect<{ journal_mode: string }>('PRAGMA journal_mode')[0]?.journal_mode).toBe('wal');
    const rows = inspect<{ guid: string; title: string; item: string }>('SELECT guid, title, item FROM items ORDER BY published_at DESC');
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => (JSON.parse(r.item) as Item).guid)).toEqual(rows.map((r) => r.guid));
    expect(inspect<{ id: string }>(`SELECT id FROM feeds WHERE name = 'src:y'`)).toHaveLength(1);
    expect(inspect<{ key: string }>('SELECT key FROM item_keys ORDER BY key').map((r) => r.key)).toContain('y.vn/lua');
    expect(inspect<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('checkpoints the WAL from a worker thread between queued writes: the WAL is copied whole, starts again and stays small', async () => {
    const store = await openStore();
    await fill(store, 200);
    // 200 items write 26 MB of WAL frames: below the writer's own backstop, so only the worker's checkpoints keep it small
    expect((await fsPromises.stat(`${dbFile()}-wal`)).size).toBeLessThan(10 * 1024 * 1024);
    expect(inspect<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n).toBe(200);
    expect(inspect<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('in a thread of its own, checkpoints in its commits (no checkpoint thread): the WAL stays small too', async () => {
    const store = await openStore({ thread: true });
    await fill(store, 200);
    expect((await fsPromises.stat(`${dbFile()}-wal`)).size).toBeLessThan(10 * 1024 * 1024);
    expect(inspect<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n).toBe(200);
    expect(inspect<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('imports a data dir in the old file format once: items, guids, validators, state; torn log line reported', async () => {
    cpSync(LEGACY, backend.dataDir, { recursive: true });
    const { logger, lines } = capture();
    const store = await openStore({ logger });
    expect(await store.latest({ limit: 100 })).toEqual(LEGACY_EXPECTED.items);
    expect(await store.getValidators('https://www.quangtri.gov.vn/tin-tuc', 'quangtri')).toEqual(LEGACY_EXPECTED.validators.scoped);
    expect(await store.getValidators('https://www.quangtri.gov.vn/rss')).toEqual(LEGACY_EXPECTED.validators.rss);
    expect(await store.getState('pending:quangtri')).toEqual(['https://www.quangtri.gov.vn/tin/9']);
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/items\.log: skipped 1 torn or corrupt line\(s\) \(line 5\)/),
      expect.stringMatching(/imported 5 items from the old file format/),
    ]);
    for (const f of ['snapshot.jsonl', 'items.log', 'state']) {
      expect(existsSync(join(backend.dataDir, f))).toBe(false);
      expect(existsSync(join(backend.dataDir, `${f}.imported`))).toBe(true);
    }
    // The imported store dedups as before: a known URL is unchanged, its guid kept.
    const again = await store.upsert(fromArticle(HARVEST, 'https://baoquangtri.vn/lua', { sourceId: 'bao' }), NOW);
    expect([again.status, again.item.guid]).toEqual(['unchanged', 'https://www.quangtri.gov.vn/tin-tuc/lua']);
    await store.close();
    open.splice(0);
    const { logger: l2, lines: second } = capture();
    const reopened = await openStore({ logger: l2 });
    expect(second).toEqual([]);
    expect((await reopened.stats()).items).toBe(LEGACY_EXPECTED.items.length);
  });

  it('refuses an old-format data dir it cannot read, saying how, and writes nothing', async () => {
    cpSync(LEGACY, backend.dataDir, { recursive: true });
    const snapshot = join(backend.dataDir, 'snapshot.jsonl');
    const text = readFileSync(snapshot, 'utf8');
    writeFileSync(snapshot, text.slice(0, Math.floor(text.length / 2)));
    const attempt = backend.open();
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(snapshot) });
    await expect(attempt).rejects.toThrow(/Restore the files from a backup .* or move them out of/);
    expect(existsSync(snapshot)).toBe(true);
    expect(inspect('SELECT id FROM items')).toEqual([]);
  });

  it('a file that is not a database is STORE_CORRUPT naming it; the file is left as it was', async () => {
    writeFileSync(dbFile(), 'this is not sqlite '.repeat(400));
    const attempt = backend.open();
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(dbFile()) });
    expect(readFileSync(dbFile(), 'utf8')).toBe('this is not sqlite '.repeat(400));
  });

  it('a data dir that cannot be written is a StoreError naming the directory', async () => {
    const fileInTheWay = join(backend.dataDir, 'plain-file');
    writeFileSync(fileInTheWay, '');
    const attempt = makeBackendAt(fileInTheWay);
    await expect(attempt).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining(`data dir ${fileInTheWay} is not writable`),
    });
  });

  function makeBackendAt(dataDir: string): Promise<OpenStore> {
    return backend.open({ dataDir });
  }

  it('keeps per-feed counts in step with the feed rows through new items, merges, withdrawals and trims; an older file is counted at open', async () => {
    const store = await openStore({ maxItems: 5 });
    await fill(store, 6);
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua', { categories: ['nong-nghiep'] }), NOW);
    expect((await store.upsert(fromArticle(HARVEST, 'https://y.vn/lua', { sourceId: 'y' }), NOW)).status).toBe('duplicate');
    const road = await store.upsert(fromArticle(ROAD, 'https://x.vn/duong', { categories: ['giao-thong'] }), NOW);
    expect(await store.markGone(road.item.id, 410, NOW)).toBe('withdrawn');
    expect(await store.trim(NOW)).toBe(2);
    const counted = () => inspect<{ name: string; n: number }>('SELECT name, n FROM feed_counts WHERE n > 0 ORDER BY name');
    const grouped = inspect<{ name: string; n: number }>('SELECT name, count(*) AS n FROM feeds GROUP BY name ORDER BY name');
    expect(counted()).toEqual(grouped);
    expect(grouped).toContainEqual({ name: 'gone:quangtri', n: 1 });
    const stats = await store.stats();
    expect(stats.bySource).toEqual({ quangtri: 5, y: 1 });
    expect(stats.byCategory).toEqual({ 'nong-nghiep': 1 });
    await store.close();
    const db = new Database(dbFile());
    db.exec('DROP TRIGGER feeds_counted; DROP TRIGGER feeds_uncounted; DROP TABLE feed_counts');
    db.close();
    const reopened = await openStore();
    expect(await reopened.stats()).toEqual(stats);
    expect(counted()).toEqual(grouped);
  });

  it('re-indexes a file of fingerprint layout 1 once at open: near duplicates of old items still merge; a second run changes nothing', async () => {
    const store = await openStore();
    await fill(store, 3);
    const harvest = await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW);
    const road = await store.upsert(fromArticle(ROAD, 'https://x.vn/duong'), NOW);
    await store.close();
    const db = new Database(dbFile());
    // What the previous version wrote: four 16-bit bands, one-minimum anchors, schema 1.
    db.transaction(() => {
      for (const row of db.prepare<[], { id: string; item: string }>('SELECT id, item FROM items').all()) {
        const item = JSON.parse(row.item) as StoredItem;
        const old = { ...item, anchors: layout1Anchors(item.anchors) };
        db.prepare('UPDATE items SET item = ? WHERE id = ?').run(JSON.stringify(old), row.id);
        db.prepare('DELETE FROM fingerprints WHERE id = ?').run(row.id);
        for (const key of layout1Fingerprints(old)) db.prepare('INSERT OR IGNORE INTO fingerprints (key, id) VALUES (?, ?)').run(key, row.id);
      }
      db.prepare(`UPDATE meta SET value = '1' WHERE key = 'schema'`).run();
    })();
    db.close();
    const prefixes = () => inspect<{ p: string; n: number }>('SELECT substr(key, 1, 1) AS p, count(*) AS n FROM fingerprints GROUP BY p ORDER BY p');
    expect(prefixes()).toEqual([
      { p: 'a', n: 20 },
      { p: 'b', n: 20 },
    ]);
    const { logger, lines } = capture('info');
    const reopened = await openStore({ logger });
    expect(prefixes()).toEqual([
      { p: 'm', n: 5 * ANCHOR_COUNT },
      { p: 'p', n: 50 },
    ]);
    expect(inspect<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema'`)).toEqual([{ value: '2' }]);
    expect(lines.find((l) => String(l.msg).startsWith('store: fingerprint index of 5 items rebuilt'))).toBeDefined();
    const copy = await reopened.upsert(fromArticle(sentenceAdded(HARVEST), 'https://y.vn/lua'), NOW);
    expect(copy).toMatchObject({ status: 'merged', item: { id: harvest.item.id } });
    expect(copy.distance).toBeGreaterThan(3);
    const retitled = await reopened.upsert(fromArticle({ ...ROAD, title: `${ROAD.title} (ảnh)` }, 'https://y.vn/duong'), NOW);
    expect(retitled).toMatchObject({ status: 'merged', item: { id: road.item.id } });
    await reopened.close();
    const tables = () =>
      ['items', 'fingerprints', 'item_keys', 'item_hashes', 'feeds', 'feed_counts'].map((t) => inspect(`SELECT * FROM ${t} ORDER BY 1, 2`));
    const before = tables();
    const again = new Database(dbFile());
    again.prepare(`UPDATE meta SET value = '1' WHERE key = 'schema'`).run();
    again.close();
    await openStore();
    expect(tables()).toEqual(before);
  });

  it('a fingerprint lookup skips a key shared by more than 64 items and keeps the others', async () => {
    const store = await openStore();
    const db = new Database(dbFile());
    const put = db.prepare('INSERT INTO fingerprints (key, id) VALUES (?, ?)');
    for (let i = 0; i < 65; i++) put.run('m0:boilerplate', `common-${i}`);
    for (const id of ['x', 'y']) put.run('p3:1.2', id);
    put.run('m1:rare', 'y');
    put.run('m1:rare', 'z');
    db.close();
    const reader = (store as unknown as { reader(): DecisionReader }).reader();
    expect((await reader.idsForFingerprints(['m0:boilerplate', 'p3:1.2', 'm1:rare', 'm2:absent'], 64)).sort()).toEqual(['x', 'y', 'z']);
    expect(await reader.idsForFingerprints(['m0:boilerplate'], 65)).toHaveLength(65);
    expect(await reader.idsForFingerprints([], 64)).toEqual([]);
  });

  it('lets the event loop run while writes are queued: a request arriving meanwhile is not held behind all of them', async () => {
    const store = await openStore();
    const count = 200;
    const writes = Array.from({ length: count }, (_, i) => store.upsert(candidate({ url: `https://x.vn/tin/${i}`, ...uniqueArticle(i) }), NOW));
    // What another connection sees committed at each turn of the event loop while the writes run.
    const seen: number[] = [];
    let ticking = true;
    const tick = () => {
      seen.push(inspect<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n ?? -1);
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all(writes);
    ticking = false;
    expect(seen.some((n) => n > 0 && n < count)).toBe(true);
    expect((await store.stats()).items).toBe(count);
  });

  describe('group commit', () => {
    afterEach(() => vi.restoreAllMocks());

    it('acknowledges a write only once the WAL is on disk, one fdatasync shared by the writes made meanwhile', async () => {
      const store = await openStore();
      const realOpen = fsPromises.open.bind(fsPromises);
      const opened: string[] = [];
      let syncs = 0;
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      vi.spyOn(fsPromises, 'open').mockImplementation(async (path, flags) => {
        opened.push(String(path));
        const handle = await realOpen(path, flags);
        const datasync = handle.datasync.bind(handle);
        handle.datasync = async () => {
          syncs++;
          await gate;
          return datasync();
        };
        return handle;
      });
      const acked: number[] = [];
      const writes = Array.from({ length: 10 }, (_, i) =>
        store.upsert(candidate({ url: `https://x.vn/tin/${i}`, ...uniqueArticle(i) }), NOW).then(() => acked.push(i)),
      );
      // Every item is committed (another connection reads it) while none is acknowledged yet.
      await vi.waitFor(() => expect(inspect<{ n: number }>('SELECT count(*) AS n FROM items')[0]?.n).toBe(10));
      expect(acked).toEqual([]);
      release();
      await Promise.all(writes);
      expect(acked.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // The first sync started after the first commit; the second covers the nine committed while it waited.
      expect(syncs).toBe(2);
      expect(opened).toEqual([`${dbFile()}-wal`]);
      await store.setValidators('https://x.vn/tin/0', { etag: '"a"', lastModified: null });
      expect(syncs).toBe(3);
    });

    it('a WAL that cannot be synced fails the write with STORE_FAILED naming the file; the next write works', async () => {
      const store = await openStore();
      const realOpen = fsPromises.open.bind(fsPromises);
      vi.spyOn(fsPromises, 'open').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      await expect(store.upsert(fromArticle(ROAD, 'https://x.vn/duong'), NOW)).rejects.toMatchObject({
        code: 'STORE_FAILED',
        message: expect.stringContaining(`${dbFile()}: could not sync the write-ahead log to disk (EIO)`) as string,
      });
      vi.mocked(fsPromises.open).mockImplementation(realOpen);
      expect((await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW)).status).toBe('new');
      expect((await store.stats()).items).toBe(2);
    });
  });

  it('a second instance on the same file sees new writes at once (serve beside crawl)', async () => {
    const writer = await openStore();
    const reader = await openStore();
    await fill(writer, 2);
    const v1 = await reader.version();
    expect((await reader.latest({ limit: 10 })).length).toBe(2);
    await writer.upsert(fromArticle(ROAD, 'https://x.vn/duong'), NOW);
    expect(await reader.version()).not.toBe(v1);
    expect(await reader.knows('https://x.vn/duong')).toBe(true);
    // A decision made on the reader sees the writer's item: no double.
    const copy = await reader.upsert(fromArticle(ROAD, 'https://z.vn/duong', { sourceId: 'z' }), NOW);
    expect(copy.status).toBe('duplicate');
    expect((await writer.stats()).items).toBe(3);
  });

  it('logs each decision: debug for new, info with the distance for merges', async () => {
    const { logger, lines } = capture('debug');
    const store = await openStore({ logger });
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW);
    const merged = await store.upsert(fromArticle({ ...HARVEST, title: `${HARVEST.title} (ảnh)` }, 'https://y.vn/lua'), NOW);
    expect(merged.status).toBe('merged');
    expect(lines.find((l) => l.msg === 'store: new item')?.level).toBe(20);
    const info = lines.find((l) => String(l.msg).startsWith('store: near duplicate merged'));
    expect(info?.level).toBe(30);
    expect(info?.distance).toBe(merged.distance);
  });

  it('a page first seen undated takes its real date when it later shows one', async () => {
    const store = await openStore();
    const first = await store.upsert(fromArticle(ROAD, 'https://x.vn/duong', { publishedAt: null }), NOW);
    expect(first.item.dateIsFirstSeen).toBe(true);
    const dated = await store.upsert(
      fromArticle({ ...ROAD, text: `${ROAD.text} Cập nhật.` }, 'https://x.vn/duong', { publishedAt: '2024-01-22T01:00:00.000Z' }),
      new Date('2024-02-03T00:00:00Z'),
    );
    expect([dated.status, dated.item.publishedAt, dated.item.dateIsFirstSeen, dated.item.guid]).toEqual([
      'updated',
      '2024-01-22T01:00:00.000Z',
      false,
      first.item.guid,
    ]);
  });

  describe('leases', () => {
    const plant = (row: { host: string; pid: number; started: number; expires: number }) => {
      const db = new Database(dbFile());
      db.prepare('INSERT OR REPLACE INTO leases (name, token, host, pid, started_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
        'crawl:x',
        'planted',
        row.host,
        row.pid,
        row.started,
        row.expires,
      );
      db.close();
    };
    const inAMinute = () => Date.now() + 60_000;

    it('exclude a second store instance on the same file until released', async () => {
      const a = await openStore();
      const b = await openStore();
      const lease = await a.lock.acquire('crawl:x', 5_000);
      expect(lease).not.toBeNull();
      expect(await b.lock.acquire('crawl:x', 5_000)).toBeNull();
      expect(await b.lock.holder('crawl:x')).toMatchObject({ host: hostname(), pid: process.pid });
      await lease!.release();
      expect(await b.lock.acquire('crawl:x', 5_000)).not.toBeNull();
    });

    it('a lease whose holder process is gone on this host is taken over at once', async () => {
      const store = await openStore();
      plant({ host: hostname(), pid: deadPid(), started: 1, expires: inAMinute() });
      expect(await store.lock.holder('crawl:x')).toBeNull();
      const lease = await store.lock.acquire('crawl:x', 5_000);
      expect(lease).not.toBeNull();
      expect(await store.lock.holder('crawl:x')).toMatchObject({ pid: process.pid });
    });

    it('an earlier process with this same pid (a restarted container’s pid 1) does not hold it', async () => {
      const store = await openStore();
      plant({ host: hostname(), pid: process.pid, started: 1, expires: inAMinute() });
      expect(await store.lock.acquire('crawl:x', 5_000)).not.toBeNull();
    });

    it('a live holder on this host, or any holder on another host, keeps it until its TTL', async () => {
      const store = await openStore();
      plant({ host: hostname(), pid: process.ppid, started: 1, expires: inAMinute() });
      expect(await store.lock.acquire('crawl:x', 5_000)).toBeNull();
      plant({ host: 'another-host', pid: deadPid(), started: 1, expires: inAMinute() });
      expect(await store.lock.acquire('crawl:x', 5_000)).toBeNull();
      expect(await store.lock.holder('crawl:x')).toMatchObject({ host: 'another-host' });
      plant({ host: 'another-host', pid: 1, started: 1, expires: Date.now() - 1 });
      expect(await store.lock.acquire('crawl:x', 5_000)).not.toBeNull();
    });
  });
});
