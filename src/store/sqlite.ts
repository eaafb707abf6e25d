import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import type {
  ChangeQuery,
  GoneOutcome,
  HttpValidators,
  Item,
  ItemCandidate,
  ItemChange,
  ItemQuery,
  Lease,
  LeaseHolder,
  LeaseLock,
  RecheckTarget,
  StoreStats,
  UpsertOutcome,
} from '../core/types.js';
import { goneTransition, presentTransition, settleUpsert } from './changes.js';
import { identityKey, validatorKey } from './canonical.js';
import {
  decide,
  INDEX_VERSION,
  indexEntries,
  lookupEntries,
  publicItem,
  reindexed,
  type DecisionReader,
  type Signature,
  type StoredItem,
} from './decide.js';
import { importLegacyDataDir, type ImportTarget } from './legacy-import.js';
import { holderIsGone, selfIdentity } from './lease-holder.js';
import { DB_FILE, retentionCutoff, type OpenStore, type StoreOptions } from './options.js';
import { sqliteError } from './sqlite-errors.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';

/** 2: fingerprint index of layout INDEX_VERSION (a file of schema 1 is re-indexed at open, then marked 2). */
const SCHEMA_VERSION = INDEX_VERSION;
/** Items re-indexed per transaction: another process opening the file meanwhile waits far less than BUSY_TIMEOUT_MS. */
const REINDEX_BATCH = 1_000;
/** Page cache while re-indexing (negative = KiB): the fingerprint rows of an item sit on random pages of the whole table. */
const REINDEX_CACHE_KIB = -131_072;
const MAX_ATTEMPTS = 50;
/** How long a write waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * Checkpoints of the WAL: SQLite's own (every 1,000 pages, in the commit that passes them) ran on the thread that
 * serves HTTP: about 300 in a 300-source crawl, with their fsyncs of the WAL and the database the commits' busy
 * stretches of 18 ms at p90, 49 at p99, 316 at most (bench:scale profile). A worker thread checkpoints instead
 * after every CHECKPOINT_COMMITS queued writes, the queue waiting for it (a WAL copied whole starts again from its
 * beginning); SQLite's own stays as a backstop at BACKSTOP_PAGES.
 */
const CHECKPOINT_COMMITS = 32;
const BACKSTOP_PAGES = 10_000;

/**
 * The schema README.md documents; `item` is the whole stored item as JSON, the other columns are copies for lookups.
 * `feed_counts` is kept by triggers: stats() after every crawl run reads one row per feed instead of counting
 * every feed row (a cost that grew with the store: 1.7 s of the main thread over bench:scale's 300 runs).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY, guid TEXT NOT NULL UNIQUE, url TEXT NOT NULL, title TEXT NOT NULL,
  published_at TEXT NOT NULL, simhash TEXT NOT NULL, sketch TEXT, item TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_keys (key TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_keys_id ON item_keys (id);
CREATE TABLE IF NOT EXISTS item_hashes (hash TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_hashes_id ON item_hashes (id);
CREATE TABLE IF NOT EXISTS fingerprints (key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS fingerprints_id ON fingerprints (id);
CREATE TABLE IF NOT EXISTS feeds (name TEXT NOT NULL, published_ms INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (name, published_ms, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feeds_id ON feeds (id, name);
CREATE TABLE IF NOT EXISTS feed_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS feeds_counted AFTER INSERT ON feeds BEGIN
  INSERT INTO feed_counts (name, n) VALUES (new.name, 1) ON CONFLICT (name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS feeds_uncounted AFTER DELETE ON feeds BEGIN
  UPDATE feed_counts SET n = n - 1 WHERE name = old.name;
END;
CREATE TABLE IF NOT EXISTS changes (id TEXT PRIMARY KEY, item_id TEXT NOT NULL, kind TEXT NOT NULL, at_ms INTEGER NOT NULL, change TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS changes_at ON changes (at_ms, id);
CREATE INDEX IF NOT EXISTS changes_item ON changes (item_id, at_ms, id);
CREATE TABLE IF NOT EXISTS validators (key TEXT PRIMARY KEY, etag TEXT, last_modified TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY, token TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, started_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface LeaseRow {
  token: string;
  host: string;
  pid: number;
  started_ms: number;
  expires_ms: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** How long queued writes may hold the event loop before it gets a turn. */
const WRITE_SLICE_MS = 10;

/** A lease that would be taken over: expired, or held by a process of this host that no longer runs. */
function stale(row: LeaseRow, now: number): boolean {
  return row.expires_ms <= now || holderIsGone({ host: row.host, pid: row.pid, started: row.started_ms });
}

function prepareAll(db: Database.Database) {
  return {
    writes: db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'writes'`).pluck(),
    bump: db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'writes'`),
    idForKey: db.prepare<[string], string>('SELECT id FROM item_keys WHERE key = ?').pluck(),
    idForHash: db.prepare<[string], string>('SELECT id FROM item_hashes WHERE hash = ?').pluck(),
    idsForFingerprint: db.prepare<[string, number], string>('SELECT id FROM fingerprints WHERE key = ? LIMIT ?').pluck(),
    signature: db.prepare<[string], { simhash: string; sketch: string | null; published_at: string }>(
      'SELECT simhash, sketch, published_at FROM items WHERE id = ?',
    ),
    item: db.prepare<[string], string>('SELECT item FROM items WHERE id = ?').pluck(),
    putItem: db.prepare(
      `INSERT INTO items (id, guid, url, title, published_at, simhash, sketch, item) VALUES (@id, @guid, @url, @title, @publishedAt, @simhash, @sketch, @item)
       ON CONFLICT (id) DO UPDATE SET guid = excluded.guid, url = excluded.url, title = excluded.title, published_at = excluded.published_at,
       simhash = excluded.simhash, sketch = excluded.sketch, item = excluded.item`,
    ),
    putKey: db.prepare('INSERT OR REPLACE INTO item_keys (key, id) VALUES (?, ?)'),
    putHash: db.prepare('INSERT OR REPLACE INTO item_hashes (hash, id) VALUES (?, ?)'),
    putFingerprint: db.prepare('INSERT OR IGNORE INTO fingerprints (key, id) VALUES (?, ?)'),
    putFeed: db.prepare('INSERT OR IGNORE INTO feeds (name, published_ms, id) VALUES (?, ?, ?)'),
    dropIndexes: ['item_keys', 'item_hashes', 'fingerprints', 'feeds'].map((table) => db.prepare(`DELETE FROM ${table} WHERE id = ?`)),
    dropItem: db.prepare('DELETE FROM items WHERE id = ?'),
    dropFingerprints: db.prepare('DELETE FROM fingerprints WHERE id = ?'),
    setItemJson: db.prepare('UPDATE items SET item = ? WHERE id = ?'),
    putChange: db.prepare('INSERT OR REPLACE INTO changes (id, item_id, kind, at_ms, change) VALUES (?, ?, ?, ?, ?)'),
    dropChanges: db.prepare('DELETE FROM changes WHERE item_id = ?'),
    change: db.prepare<[string], string>('SELECT change FROM changes WHERE id = ?').pluck(),
    changesSince: db.prepare<[number, number], string>('SELECT change FROM changes WHERE at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT ?').pluck(),
    history: db.prepare<[string], string>('SELECT change FROM changes WHERE item_id = ? ORDER BY at_ms, id').pluck(),
    inFeedSince: db.prepare<[string, number], { id: string; url: string; published_at: string }>(
      'SELECT i.id, i.url, i.published_at FROM feeds f JOIN items i ON i.id = f.id WHERE f.name = ? AND f.published_ms >= ? ORDER BY f.published_ms DESC, f.id DESC',
    ),
    inFeed: db.prepare<[string, string, string], number>('SELECT 1 FROM feeds WHERE id = ? AND name IN (?, ?)').pluck(),
    latest: db
      .prepare<[string, number], string>(
        'SELECT i.item FROM feeds f JOIN items i ON i.id = f.id WHERE f.name = ? ORDER BY f.published_ms DESC, f.id DESC LIMIT ?',
      )
      .pluck(),
    latestBoth: db
      .prepare<[string, string, number], string>(
        `SELECT i.item FROM feeds f JOIN feeds s ON s.id = f.id AND s.name = ? JOIN items i ON i.id = f.id
       WHERE f.name = ? ORDER BY f.published_ms DESC, f.id DESC LIMIT ?`,
      )
      .pluck(),
    count: db.prepare<[], number>('SELECT count(*) FROM items').pluck(),
    feedCounts: db.prepare<[], { name: string; n: number }>(`SELECT name, n FROM feed_counts WHERE name <> 'all' AND n > 0`),
    olderThan: db.prepare<[number], string>(`SELECT id FROM feeds WHERE name = 'all' AND published_ms < ?`).pluck(),
    beyond: db.prepare<[number], string>(`SELECT id FROM feeds WHERE name = 'all' ORDER BY published_ms DESC, id DESC LIMIT -1 OFFSET ?`).pluck(),
    getValidators: db.prepare<[string], { etag: string | null; last_modified: string | null }>(
      'SELECT etag, last_modified FROM validators WHERE key = ?',
    ),
    setValidators: db.prepare('INSERT OR REPLACE INTO validators (key, etag, last_modified) VALUES (?, ?, ?)'),
    getState: db.prepare<[string], string>('SELECT value FROM state WHERE name = ?').pluck(),
    setState: db.prepare('INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)'),
    dropState: db.prepare('DELETE FROM state WHERE name = ?'),
    lease: db.prepare<[string], LeaseRow>('SELECT token, host, pid, started_ms, expires_ms FROM leases WHERE name = ?'),
    takeLease: db.prepare('INSERT OR REPLACE INTO leases (name, token, host, pid, started_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)'),
    renewLease: db.prepare('UPDATE leases SET expires_ms = ? WHERE name = ? AND token = ? AND expires_ms > ?'),
    releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND token = ?'),
  };
}

type Statements = ReturnType<typeof prepareAll>;

/**
 * The default store: one SQLite file `<dataDir>/portalfeed.db` (WAL), shared safely by every process on the
 * data dir. Each stored decision is one write transaction; a write is acknowledged once the WAL holding it
 * is on disk (group commit, see durable()).
 */
export class SqliteStore implements OpenStore {
  readonly kind = 'embedded' as const;
  readonly lock: LeaseLock;
  readonly file: string;
  private db: Database.Database | null = null;
  private q: Statements | null = null;
  private epoch = '';
  private queue: Promise<unknown> = Promise.resolve();
  /** When the writes running without a turn of the event loop began. */
  private sliceStart = Number.NEGATIVE_INFINITY;
  /** WAL mode: commits skip SQLite's own fsync and are acknowledged after a shared fdatasync of the WAL. */
  private groupCommit = false;
  /** Commits of this connection so far, and how many of them a finished fdatasync covers. */
  private commits = 0;
  private synced = 0;
  private flushing: Promise<void> | null = null;
  private nextFlush: Promise<void> | null = null;
  /** Kept open while the database is: SQLite removes the WAL only when its last connection closes. */
  private wal: fs.promises.FileHandle | null = null;
  /** The WAL checkpointer (a worker thread), started at the first checkpoint; null when checkpoints stay inline. */
  private checkpointer: Checkpointer | null = null;
  private checkpointsInline = true;
  private checkpointedAt = 0;

  constructor(private readonly options: StoreOptions) {
    this.file = join(options.dataDir, DB_FILE);
    this.lock = {
      acquire: async (name, ttlMs) => this.guard(() => this.acquire(name, ttlMs)),
      holder: async (name) => this.guard(() => this.holder(name)),
    };
  }

  /** Opens (creating if needed) the database, then imports a data dir in the old file format once. */
  open(): void {
    const dir = this.options.dataDir;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw new StoreError(
        'STORE_FAILED',
        `store data dir ${dir} is not writable (${code}); make it writable or point store.dataDir (DATA_DIR) at a writable directory`,
        {
          cause,
          details: { dataDir: dir },
        },
      );
    }
    this.guard(() => {
      const db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
      this.db = db;
      this.groupCommit = db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
      // Without WAL (a file system without shared memory) every commit syncs itself.
      db.pragma(this.groupCommit ? 'synchronous = NORMAL' : 'synchronous = FULL');
      if (this.groupCommit && this.options.checkpointThread !== false) {
        db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
        this.checkpointsInline = false;
      }
      db.transaction(() => {
        const counted = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'feeds_counted'`).get() !== undefined;
        db.exec(SCHEMA);
        // A file written before the counts existed: count once, the triggers keep it from here.
        if (!counted) db.exec(`DELETE FROM feed_counts; INSERT INTO feed_counts (name, n) SELECT name, count(*) FROM feeds GROUP BY name`);
        db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?), ('created', ?), ('writes', '0')`).run(
          String(SCHEMA_VERSION),
          randomUUID().slice(0, 8),
        );
      }).immediate();
      const schema = Number(db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get());
      if (schema > SCHEMA_VERSION)
        throw new StoreError(
          'STORE_FAILED',
          `store ${this.file} has schema ${schema}, newer than this version of portalfeed understands (${SCHEMA_VERSION}); upgrade portalfeed`,
        );
      this.epoch = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'created'`).pluck().get() ?? '';
      this.q = prepareAll(db);
      if (schema < SCHEMA_VERSION) this.reindex(db);
    });
    importLegacyDataDir(dir, this.importTarget(), this.options.logger);
  }

  /** The old file store's items carry anchors of layout 1: they are written re-indexed. */
  private importTarget(): ImportTarget {
    return {
      transaction: (task) => this.transaction(task),
      writeItem: (item) => this.writeItem(reindexed(item)),
      writeChanges: (changes) => this.writeChanges(changes),
      removeItem: (id) => this.removeItem(id),
      putValidators: (key, v) => this.putValidators(key, v),
      putState: (name, value) => this.putState(name, value),
      itemCount: () => this.itemCount(),
    };
  }

  /**
   * Rewrites every item with fingerprint keys and anchors of the current layout, in batches by id, then marks the
   * schema current. Idempotent: a second process opening the old file at the same time does the same writes.
   */
  private reindex(db: Database.Database): void {
    const batch = db.prepare<[string, number], { id: string; item: string }>('SELECT id, item FROM items WHERE id > ? ORDER BY id LIMIT ?');
    const started = performance.now();
    const cache = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = ${REINDEX_CACHE_KIB}`);
    let after = '';
    let items = 0;
    try {
      for (let more = true; more;) {
        more = this.transaction(() => {
          const rows = batch.all(after, REINDEX_BATCH);
          for (const row of rows) this.reindexRow(row.id, row.item);
          this.s.bump.run();
          after = rows.at(-1)?.id ?? after;
          items += rows.length;
          return rows.length === REINDEX_BATCH;
        });
      }
    } finally {
      db.pragma(`cache_size = ${cache}`);
    }
    this.transaction(() => db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema'`).run(String(SCHEMA_VERSION)));
    this.options.logger.info(
      { items, ms: Math.round(performance.now() - started) },
      `store: fingerprint index of ${items} items rebuilt (layout ${INDEX_VERSION})`,
    );
  }

  private reindexRow(id: string, json: string): void {
    try {
      const item = this.parse(json, id);
      if (!item) return;
      // Only the anchors and fingerprint rows change; the other index rows stay as they are.
      const after = reindexed(item);
      this.s.dropFingerprints.run(id);
      for (const key of lookupEntries(after).fingerprints) this.s.putFingerprint.run(key, id);
      this.s.setItemJson.run(JSON.stringify(after), id);
    } catch (err) {
      // As in feeds: one damaged item is left as it is, loudly, rather than keeping the store from opening.
      this.options.logger.error({ err, file: this.file, id }, `store ${this.file}: item ${id} does not read back as JSON; it is not re-indexed`);
    }
  }

  private get s(): Statements {
    if (!this.q) throw new StoreError('STORE_UNAVAILABLE', `store ${this.file} is closed`);
    return this.q;
  }

  /** SQLite's errors as StoreErrors naming the file (disk full, I/O, read-only, corrupt, busy). */
  private guard<T>(task: () => T): T {
    try {
      return task();
    } catch (err) {
      throw sqliteError(err, this.file);
    }
  }

  /** Runs `task` in one IMMEDIATE transaction (the write lock taken at the start). */
  transaction<T>(task: () => T): T {
    const db = this.db;
    if (!db) throw new StoreError('STORE_UNAVAILABLE', `store ${this.file} is closed`);
    const result = this.guard(() => db.transaction(task).immediate());
    this.commits++;
    return result;
  }

  /**
   * Resolves once every commit made so far is on disk. SQLite's FULL sync costs an fsync per commit on the
   * thread that serves HTTP (1.3 ms each, 9,000 items: most of the main thread's crawl time in bench:scale);
   * here commits are plain writes to the WAL and one asynchronous fdatasync of the WAL covers every commit
   * made before it started, so a stored item still survives a power cut before it is acknowledged.
   * Measured: 6,000 upserts plus validators from 16 writers, 40 s with FULL, 12–17 s grouped (load 4–6).
   */
  durable(): Promise<void> {
    if (!this.groupCommit || this.synced >= this.commits) return Promise.resolve();
    if (!this.flushing) return (this.flushing = this.flush());
    // The fdatasync in flight may have started before this commit: wait for the one after it.
    this.nextFlush ??= this.flushing.then(
      () => this.afterFlush(),
      () => this.afterFlush(),
    );
    return this.nextFlush;
  }

  private afterFlush(): Promise<void> {
    this.nextFlush = null;
    return this.durable();
  }

  private async flush(): Promise<void> {
    const upTo = this.commits;
    try {
      this.wal ??= await fs.promises.open(`${this.file}-wal`, 'r');
      await this.wal.datasync();
      this.synced = Math.max(this.synced, upTo);
    } catch (cause) {
      await this.wal?.close().catch(() => undefined);
      this.wal = null;
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw new StoreError('STORE_FAILED', `store ${this.file}: could not sync the write-ahead log to disk (${code})`, {
        cause,
        details: { file: this.file },
      });
    } finally {
      this.flushing = null;
    }
  }

  /** Writes an item and replaces its index rows; callers run it inside a transaction. */
  writeItem(item: StoredItem): void {
    const s = this.s;
    const entries = indexEntries(item);
    for (const drop of s.dropIndexes) drop.run(item.id);
    s.putItem.run({
      id: item.id,
      guid: item.guid,
      url: item.url,
      title: item.title,
      publishedAt: item.publishedAt,
      simhash: item.simhash,
      sketch: item.sketch ?? null,
      item: JSON.stringify(item),
    });
    for (const key of entries.keys) s.putKey.run(key, item.id);
    for (const hash of entries.hashes) s.putHash.run(hash, item.id);
    for (const key of entries.fingerprints) s.putFingerprint.run(key, item.id);
    for (const name of entries.sets) s.putFeed.run(name, entries.score, item.id);
    s.bump.run();
  }

  /** Revisions and withdrawals; written in the transaction of the item they belong to. */
  writeChanges(changes: ItemChange[]): void {
    for (const c of changes) this.s.putChange.run(c.id, c.itemId, c.kind, Date.parse(c.at), JSON.stringify(c));
  }

  private change(id: string | undefined): ItemChange | null {
    const json = id ? this.s.change.get(id) : undefined;
    return json === undefined ? null : (JSON.parse(json) as ItemChange);
  }

  removeItem(id: string): boolean {
    const s = this.s;
    for (const drop of s.dropIndexes) drop.run(id);
    s.dropChanges.run(id);
    const removed = s.dropItem.run(id).changes > 0;
    if (removed) s.bump.run();
    return removed;
  }

  putValidators(key: string, v: HttpValidators): void {
    this.s.setValidators.run(key, v.etag, v.lastModified);
  }

  putState(name: string, value: unknown): void {
    if (value === null) this.s.dropState.run(name);
    else this.s.setState.run(name, JSON.stringify(value));
  }

  itemCount(): number {
    return this.s.count.get() ?? 0;
  }

  private parse(json: string | undefined, id: string): StoredItem | null {
    if (json === undefined) return null;
    try {
      return JSON.parse(json) as StoredItem;
    } catch (cause) {
      throw new StoreError('STORE_CORRUPT', `store ${this.file}: item ${id} does not read back as JSON`, { cause, details: { file: this.file, id } });
    }
  }

  private reader(): DecisionReader {
    return {
      idForKey: async (key) => this.guard(() => this.s.idForKey.get(key) ?? null),
      idForHash: async (hash) => this.guard(() => this.s.idForHash.get(hash) ?? null),
      idsForFingerprints: async (keys, maxPerKey) =>
        this.guard(() => {
          const out = new Set<string>();
          for (const key of keys) {
            const ids = this.s.idsForFingerprint.all(key, maxPerKey + 1);
            if (ids.length <= maxPerKey) for (const id of ids) out.add(id);
          }
          return [...out];
        }),
      signatures: async (ids) =>
        this.guard(() =>
          ids.map((id): Signature | null => {
            const row = this.s.signature.get(id);
            return row ? { simhash: row.simhash, sketch: row.sketch ?? undefined, publishedAt: row.published_at } : null;
          }),
        ),
      load: async (id) => this.guard(() => this.parse(this.s.item.get(id), id)),
    };
  }

  /**
   * Writes of this process run one at a time; another process's are caught by the write counter. The reads of a
   * decision are synchronous, so queued upserts run back to back in microtasks: without a turn of the event loop an
   * HTTP answer waited for all of them (stretches of 300-460 ms at 300 sources in bench:scale). After WRITE_SLICE_MS
   * of writes the queue lets the loop run; a turn before every write also bounded that, but cost a third of the
   * crawl's throughput (100 sources: 14.2 and 15.4 s against 9.2 and 11.0 s, paired runs).
   */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.turn()).then(task);
    this.queue = run.catch(() => undefined).then(() => this.checkpointIfDue());
    return run;
  }

  /** In the write queue, so no write of this process overtakes it; never rejects (see CHECKPOINT_COMMITS). */
  private async checkpointIfDue(): Promise<void> {
    if (this.checkpointsInline || this.commits - this.checkpointedAt < CHECKPOINT_COMMITS || !this.db) return;
    this.checkpointedAt = this.commits;
    try {
      this.checkpointer ??= startCheckpointer(this.file, BUSY_TIMEOUT_MS);
      await this.checkpointer.checkpoint();
    } catch (err) {
      this.checkpointsInline = true;
      const failed = this.checkpointer;
      this.checkpointer = null;
      void failed?.close().catch(() => undefined);
      this.options.logger.warn({ err, file: this.file }, 'store: the WAL checkpoint worker failed; SQLite checkpoints in the commits again');
      try {
        this.db?.pragma('wal_autocheckpoint = 1000');
      } catch {
        // A database that fails here fails the next write too, which reports it.
      }
    }
  }

  private async turn(): Promise<void> {
    if (performance.now() - this.sliceStart < WRITE_SLICE_MS) return;
    await nextTurn();
    this.sliceStart = performance.now();
  }

  async knows(url: string, sourceId?: string): Promise<boolean> {
    return this.guard(() => {
      const id = this.s.idForKey.get(identityKey(url));
      if (id === undefined || sourceId === undefined) return id !== undefined;
      return this.s.inFeed.get(id, `src:${sourceId}`, `gone:${sourceId}`) !== undefined;
    });
  }

  /**
   * Decides on what the database holds, then writes in one IMMEDIATE transaction that first checks the
   * write counter is still the one the decision saw; if another process wrote meanwhile, decides again.
   */
  async upsert(candidate: ItemCandidate, now: Date = new Date()): Promise<UpsertOutcome> {
    // Acknowledged once on disk, but outside the queue, so the next upserts commit while this one syncs.
    const outcome = await this.serial(async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const seen = this.guard(() => this.s.writes.get());
        const decision = await decide(candidate, now, this.reader(), this.options.nearDuplicateDistance, this.options.logger);
        const settled = settleUpsert(decision, now, decision.after.withdrawnAt ? this.guard(() => this.change(decision.after.withdrawal)) : null);
        if (!settled.changed) return settled.outcome;
        const written = this.transaction(() => {
          if (this.s.writes.get() !== seen) return false;
          this.writeItem(settled.after);
          this.writeChanges(settled.changes);
          return true;
        });
        if (written) return settled.outcome;
        this.options.logger.debug({ url: candidate.url, attempt }, 'store: concurrent write, deciding again');
      }
      throw new StoreError('STORE_FAILED', `upsert of ${candidate.url} kept conflicting with other writers on ${this.file}`);
    });
    await this.durable();
    return outcome;
  }

  /** Reads an item, applies a transition and writes it with its change record, all in one transaction. */
  private async transition<T>(
    id: string,
    missing: T,
    apply: (item: StoredItem) => { result: T; after: StoredItem | null; change: ItemChange | null },
  ): Promise<T> {
    const result = await this.serial(async () =>
      this.transaction(() => {
        const item = this.parse(this.s.item.get(id), id);
        if (!item) return missing;
        const { result, after, change } = apply(item);
        if (after) this.writeItem(after);
        if (change) this.writeChanges([change]);
        return result;
      }),
    );
    await this.durable();
    return result;
  }

  markGone(id: string, status: number, now: Date = new Date()): Promise<GoneOutcome> {
    return this.transition<GoneOutcome>(id, 'unknown', (item) => {
      const t = goneTransition(item, status, now);
      return { result: t.outcome, after: t.after, change: t.change };
    });
  }

  markPresent(id: string, now: Date = new Date()): Promise<boolean> {
    return this.transition(id, false, (item) => {
      const t = presentTransition(item, item.withdrawnAt ? this.change(item.withdrawal) : null, now);
      return { result: Boolean(item.withdrawnAt), after: t.after, change: t.change };
    });
  }

  async changes(query: ChangeQuery): Promise<ItemChange[]> {
    if (query.limit <= 0) return [];
    const since = query.since ? Date.parse(query.since) : Number.MIN_SAFE_INTEGER;
    return this.guard(() => this.s.changesSince.all(since, query.limit)).map((json) => JSON.parse(json) as ItemChange);
  }

  async history(id: string): Promise<ItemChange[]> {
    return this.guard(() => this.s.history.all(id)).map((json) => JSON.parse(json) as ItemChange);
  }

  /** Listed items published since `since`, then every withdrawn one (the `gone:` feed), newest first. */
  async recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]> {
    return this.guard(() => {
      const min = since ? Date.parse(since) : Number.MIN_SAFE_INTEGER;
      const target = (withdrawn: boolean) => (r: { id: string; url: string; published_at: string }) => ({
        id: r.id,
        url: r.url,
        publishedAt: r.published_at,
        withdrawn,
      });
      return [
        ...this.s.inFeedSince.all(`src:${sourceId}`, min).map(target(false)),
        ...this.s.inFeedSince.all(`gone:${sourceId}`, Number.MIN_SAFE_INTEGER).map(target(true)),
      ];
    });
  }

  async latest(query: ItemQuery): Promise<Item[]> {
    const rows = this.guard(() => {
      if (query.limit <= 0) return [];
      if (query.category && query.source) return this.s.latestBoth.all(`src:${query.source}`, `cat:${query.category}`, query.limit);
      return this.s.latest.all(query.category ? `cat:${query.category}` : query.source ? `src:${query.source}` : 'all', query.limit);
    });
    const out: Item[] = [];
    for (const json of rows) {
      try {
        out.push(publicItem(JSON.parse(json) as StoredItem));
      } catch (err) {
        // One damaged item leaves the feeds it belongs to, loudly, rather than taking them all down.
        this.options.logger.error({ err, file: this.file }, `store ${this.file}: an item does not read back as JSON; it is left out of feeds`);
      }
    }
    return out;
  }

  async get(id: string): Promise<Item | null> {
    const item = this.guard(() => this.parse(this.s.item.get(id), id));
    return item ? publicItem(item) : null;
  }

  async stats(): Promise<StoreStats> {
    return this.guard(() => {
      const bySource: Record<string, number> = {};
      const byCategory: Record<string, number> = {};
      for (const { name, n } of this.s.feedCounts.all()) {
        if (name.startsWith('src:')) bySource[name.slice(4)] = n;
        else if (name.startsWith('cat:')) byCategory[name.slice(4)] = n;
      }
      return { items: this.itemCount(), bySource, byCategory };
    });
  }

  async version(): Promise<string> {
    return this.guard(() => `${this.epoch}.${this.s.writes.get()}`);
  }

  async getValidators(url: string, scope?: string): Promise<HttpValidators | null> {
    const row = this.guard(() => this.s.getValidators.get(validatorKey(url, scope)));
    return row ? { etag: row.etag, lastModified: row.last_modified } : null;
  }

  async setValidators(url: string, validators: HttpValidators, scope?: string): Promise<void> {
    this.guard(() => this.putValidators(validatorKey(url, scope), validators));
    this.commits++;
    await this.durable();
  }

  async getState<T = unknown>(name: string): Promise<T | null> {
    const json = this.guard(() => this.s.getState.get(name));
    if (json === undefined) return null;
    try {
      return JSON.parse(json) as T;
    } catch (cause) {
      throw new StoreError('STORE_CORRUPT', `store ${this.file}: state ${name} does not read back as JSON`, { cause });
    }
  }

  async setState(name: string, value: unknown): Promise<void> {
    this.guard(() => this.putState(name, value));
    this.commits++;
    await this.durable();
  }

  /** Retention (age, then count) in one transaction. */
  async trim(now: Date = new Date()): Promise<number> {
    const removed = await this.serial(async () => {
      const removed = this.transaction(() => {
        const victims = new Set<string>();
        const cutoff = retentionCutoff(now, this.options.retentionDays);
        if (cutoff !== null) for (const id of this.s.olderThan.all(cutoff)) victims.add(id);
        if (this.options.maxItems !== null) for (const id of this.s.beyond.all(this.options.maxItems)) victims.add(id);
        let n = 0;
        for (const id of victims) if (this.removeItem(id)) n++;
        return n;
      });
      if (removed) this.options.logger.info({ removed }, 'store: retention trimmed items');
      return removed;
    });
    await this.durable();
    return removed;
  }

  async ping(): Promise<void> {
    this.guard(() => this.s.count.get());
  }

  private acquire(name: string, ttlMs: number): Lease | null {
    const token = randomUUID();
    const taken = this.transaction(() => {
      const now = Date.now();
      const row = this.s.lease.get(name);
      if (row && !stale(row, now)) return false;
      if (row && row.expires_ms > now)
        this.options.logger.info(
          { lease: name, host: row.host, pid: row.pid },
          `store: lease ${name} taken over from pid ${row.pid} on ${row.host}, which is gone`,
        );
      const self = selfIdentity();
      this.s.takeLease.run(name, token, self.host, self.pid, self.started, now + ttlMs);
      return true;
    });
    if (!taken) return null;
    return {
      name,
      token,
      renew: async () =>
        this.guard(() => {
          const now = Date.now();
          return this.s.renewLease.run(now + ttlMs, name, token, now).changes === 1;
        }),
      release: async () => void this.guard(() => this.s.releaseLease.run(name, token)),
    };
  }

  private holder(name: string): LeaseHolder | null {
    const row = this.s.lease.get(name);
    if (!row || stale(row, Date.now())) return null;
    return { host: row.host, pid: row.pid, expiresAt: row.expires_ms };
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpointer?.close().catch(() => undefined);
    this.checkpointer = null;
    await this.durable().catch(() => undefined);
    await this.wal?.close().catch(() => undefined);
    this.wal = null;
    const db = this.db;
    this.db = null;
    this.q = null;
    if (db?.open) this.guard(() => db.close());
  }
}
