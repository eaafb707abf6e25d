import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';
import type {
  ChangeQuery,
  GoneOutcome,
  HttpValidators,
  Item,
  ItemCandidate,
  ItemChange,
  ItemQuery,
  LeaseLock,
  RecheckTarget,
  StoreStats,
  UpsertOutcome,
} from '../core/types.js';
import { compareChanges, goneTransition, presentTransition, settleUpsert } from './changes.js';
import { identityKey, validatorKey } from './canonical.js';
import { decide, feedEntries, publicItem, type DecisionReader, type StoredItem } from './decide.js';
import { BodyFile, ItemTable, splitItem } from './item-table.js';
import { FileLeaseLock } from './lease-file.js';
import { encodeRecord, parseLines, type ItemMeta, type ItemRest, type LineAt, type LogRecord } from './log-file.js';
import { loadSnapshot, writeSnapshot } from './snapshot.js';
import { LookupIndex } from './lookup-index.js';
import { SortedIndex } from './sorted-index.js';
import type { OpenStore, StoreOptions } from './options.js';
import { retentionCutoff } from './options.js';

const LOG_FILE = 'items.log';
const SNAPSHOT_FILE = 'snapshot.jsonl';
const COMPACT_MIN_RECORDS = 1000;

/**
 * The default store: indexes and item metas in memory, persisted as an append-only checksummed log
 * plus a snapshot; item bodies are read from those files when needed.
 */
export class EmbeddedStore implements OpenStore {
  readonly kind = 'embedded' as const;
  readonly lock: LeaseLock;
  private items = new ItemTable();
  private snapshotFile: BodyFile | null = null;
  private logFile: BodyFile | null = null;
  /** Built on first use: a process that only serves feeds never needs it, and start-up does not wait for it. */
  private lookups: LookupIndex | null = null;
  private sets = new Map<string, SortedIndex>();
  private validators = new Map<string, HttpValidators>();
  /** Revisions and withdrawals by id; kept in memory (they are few) and in the log and snapshot. */
  private changeRecords = new Map<string, ItemChange>();
  private changesNewestFirst: ItemChange[] | null = null;
  private readonly epoch = randomUUID().slice(0, 8);
  private mutations = 0;
  private fd: number | null = null;
  private readOffset = 0;
  private snapshotStamp = '';
  private logRecords = 0;
  private needsNewline = false;
  private wrote = false;
  private readonly logPath: string;
  private readonly snapshotPath: string;

  constructor(private readonly options: StoreOptions) {
    this.logPath = join(options.dataDir, LOG_FILE);
    this.snapshotPath = join(options.dataDir, SNAPSHOT_FILE);
    this.lock = new FileLeaseLock(join(options.dataDir, 'locks'));
  }

  /** True while open() replays snapshot and log: indexes are sorted once at the end, not per item. */
  private loading = false;

  /** Loads snapshot and log; a corrupt snapshot throws, a torn log line is reported and skipped. */
  open(): void {
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    this.reset();
    this.fd ??= fs.openSync(this.logPath, 'a');
    this.logFile ??= new BodyFile(this.logPath, fs.openSync(this.logPath, 'r'));
    this.loading = true;
    try {
      this.loadSnapshot();
      this.readOffset = 0;
      this.logRecords = 0;
      this.readLogTail(true);
    } finally {
      this.loading = false;
    }
  }

  private reset(): void {
    this.snapshotFile?.close();
    this.snapshotFile = null;
    this.items = new ItemTable();
    this.lookups = null;
    this.sets = new Map();
    this.validators = new Map();
    this.changeRecords = new Map();
    this.changesNewestFirst = null;
  }

  private stamp(path: string): string {
    try {
      return fileStamp(fs.statSync(path));
    } catch {
      return '';
    }
  }

  private loadSnapshot(): void {
    this.snapshotFile = loadSnapshot(this.snapshotPath, (record, file, at) => this.apply(record, file, at));
    this.snapshotStamp = this.snapshotFile ? fileStamp(fs.fstatSync(this.snapshotFile.fd)) : '';
  }

  /** Applies complete log lines written since the last read (by this or another process). */
  private readLogTail(opening: boolean): void {
    let size: number;
    try {
      size = fs.statSync(this.logPath).size;
    } catch {
      return;
    }
    if (size <= this.readOffset) return;
    const log = this.logFile as BodyFile;
    const buffer = Buffer.alloc(size - this.readOffset);
    fs.readSync(log.fd, buffer, 0, buffer.length, this.readOffset);
    const parsed = parseLines(opening ? buffer : buffer.subarray(0, buffer.lastIndexOf(0x0a) + 1));
    parsed.records.forEach((record, i) => {
      const line = parsed.lines[i] as LineAt;
      this.apply(record, log, { offset: this.readOffset + line.offset, length: line.length });
    });
    this.logRecords += parsed.records.length;
    if (opening) {
      this.readOffset = size;
      this.needsNewline = buffer.length > 0 && buffer[buffer.length - 1] !== 0x0a;
      if (parsed.bad.length) {
        this.options.logger.warn(
          { file: this.logPath, badLines: parsed.bad, recovered: parsed.records.length },
          `store log ${this.logPath}: skipped ${parsed.bad.length} torn or corrupt line(s) (line ${parsed.bad.join(', ')}); recovered ${parsed.records.length} records`,
        );
      }
    } else {
      this.readOffset += parsed.complete;
    }
  }

  /** Picks up writes of another process: a compaction there means a full reload here. */
  private refresh(): void {
    if (this.fd === null) return;
    if (this.stamp(this.snapshotPath) !== this.snapshotStamp) {
      this.open();
      this.mutations++;
      return;
    }
    let size = 0;
    try {
      size = fs.statSync(this.logPath).size;
    } catch {
      size = 0;
    }
    if (size < this.readOffset) {
      this.open();
      this.mutations++;
    } else if (size > this.readOffset) {
      this.readLogTail(false);
    }
  }

  /** `at` is the record's line in `file`; a snapshot `put` says where its body line is instead. */
  private apply(record: LogRecord, file: BodyFile, at: LineAt): void {
    if (record.t === 'put') {
      const body = 'body' in record ? { offset: record.body[0], length: record.body[1] } : at;
      this.put('body' in record ? record.item : splitItem(record.item).meta, file, body);
      if ('chg' in record) for (const change of record.chg ?? []) this.addChange(change);
    } else if (record.t === 'del') this.remove(record.id);
    else if (record.t === 'val') this.validators.set(record.url, record.v);
    else if (record.t === 'chg') this.addChange(record.change);
  }

  private addChange(change: ItemChange): void {
    this.changeRecords.set(change.id, change);
    this.changesNewestFirst = null;
  }

  private newestChanges(): ItemChange[] {
    this.changesNewestFirst ??= [...this.changeRecords.values()].sort(compareChanges);
    return this.changesNewestFirst;
  }

  private same(before: ItemMeta, meta: ItemMeta, file: BodyFile, at: LineAt): boolean {
    if (JSON.stringify(before) !== JSON.stringify(meta)) return false;
    return JSON.stringify(this.items.restOf(before.id)) === JSON.stringify(file.read(at));
  }

  private put(meta: ItemMeta, file: BodyFile, at: LineAt): void {
    const before = this.items.meta(meta.id);
    if (before && this.same(before, meta, file, at)) return;
    if (before) this.unindex(before);
    this.items.set(meta, file, at);
    this.lookups?.add(meta);
    const entries = feedEntries(meta);
    for (const name of entries.sets) {
      let index = this.sets.get(name);
      if (!index) this.sets.set(name, (index = new SortedIndex()));
      if (this.loading) index.append(meta.id, entries.score);
      else index.add(meta.id, entries.score);
    }
    this.mutations++;
  }

  private unindex(item: ItemMeta): void {
    this.lookups?.remove(item);
    const entries = feedEntries(item);
    for (const name of entries.sets) {
      const index = this.sets.get(name);
      index?.remove(item.id, entries.score);
      if (index?.size === 0) this.sets.delete(name);
    }
  }

  private lookupIndex(): LookupIndex {
    if (!this.lookups) {
      const index = new LookupIndex();
      for (const id of this.items.ids()) index.add(this.items.meta(id) as ItemMeta);
      this.lookups = index;
    }
    return this.lookups;
  }

  private remove(id: string): void {
    const item = this.items.meta(id);
    if (!item) return;
    this.unindex(item);
    this.items.delete(id);
    for (const change of this.changeRecords.values()) if (change.itemId === id) this.changeRecords.delete(change.id);
    this.changesNewestFirst = null;
    this.mutations++;
  }

  /** One write call per record; fdatasync so an acknowledged write survives a machine crash too. Returns where the line went. */
  private append(record: LogRecord): LineAt {
    if (this.fd === null) throw new StoreError('STORE_FAILED', 'store is closed');
    const line = (this.needsNewline ? '\n' : '') + encodeRecord(record);
    this.needsNewline = false;
    const bytes = Buffer.from(line, 'utf8');
    try {
      const sizeBefore = fs.fstatSync(this.fd).size;
      fs.writeSync(this.fd, bytes);
      fs.fdatasyncSync(this.fd);
      if (sizeBefore === this.readOffset) this.readOffset += bytes.length;
      this.logRecords++;
      this.wrote = true;
      const newline = line.startsWith('\n') ? 1 : 0;
      return { offset: sizeBefore + newline, length: bytes.length - newline };
    } catch (cause) {
      throw new StoreError('STORE_FAILED', `cannot write store log ${this.logPath}`, { cause });
    }
  }

  private reader(): DecisionReader {
    return {
      idForKey: async (key) => this.lookupIndex().idForKey(key),
      idForHash: async (hash) => this.lookupIndex().idForHash(hash),
      idsForFingerprints: async (keys, maxPerKey) => this.lookupIndex().idsForFingerprints(keys, maxPerKey),
      signatures: async (ids) => ids.map((id) => this.items.meta(id) ?? null),
      load: async (id) => this.read(id) ?? null,
    };
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Writes run one at a time so a decision never sees another write half-applied. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async knows(url: string, sourceId?: string): Promise<boolean> {
    this.refresh();
    const id = this.lookupIndex().idForKey(identityKey(url));
    if (id === null || sourceId === undefined) return id !== null;
    return this.items.meta(id)?.sourceIds.includes(sourceId) ?? false;
  }

  upsert(candidate: ItemCandidate, now: Date = new Date()): Promise<UpsertOutcome> {
    return this.serial(async () => {
      this.refresh();
      const decision = await decide(candidate, now, this.reader(), this.options.nearDuplicateDistance, this.options.logger);
      const withdrawal = decision.after.withdrawal ? (this.changeRecords.get(decision.after.withdrawal) ?? null) : null;
      const settled = settleUpsert(decision, now, withdrawal);
      if (settled.changed) this.write(settled.after, settled.changes);
      return settled.outcome;
    });
  }

  /** The item and its change records in one log line: a crash keeps both or neither. */
  private write(item: StoredItem, changes: ItemChange[]): void {
    const at = this.append(changes.length ? { t: 'put', item, chg: changes } : { t: 'put', item });
    this.put(splitItem(item).meta, this.logFile as BodyFile, at);
    for (const change of changes) this.addChange(change);
    this.maybeCompact();
  }

  markGone(id: string, status: number, now: Date = new Date()): Promise<GoneOutcome> {
    return this.serial(async () => {
      this.refresh();
      const item = this.read(id);
      if (!item) return 'unknown';
      const t = goneTransition(item, status, now);
      if (t.after) this.write(t.after, t.change ? [t.change] : []);
      return t.outcome;
    });
  }

  markPresent(id: string, now: Date = new Date()): Promise<boolean> {
    return this.serial(async () => {
      this.refresh();
      const meta = this.items.meta(id);
      if (!meta || (!meta.withdrawnAt && !meta.misses)) return false;
      const item = this.read(id) as StoredItem;
      const t = presentTransition(item, item.withdrawal ? (this.changeRecords.get(item.withdrawal) ?? null) : null, now);
      if (t.after) this.write(t.after, t.change ? [t.change] : []);
      return Boolean(item.withdrawnAt);
    });
  }

  async changes(query: ChangeQuery): Promise<ItemChange[]> {
    this.refresh();
    const all = this.newestChanges();
    const since = query.since ? Date.parse(query.since) : null;
    const out: ItemChange[] = [];
    for (const change of all) {
      if (out.length >= query.limit || (since !== null && Date.parse(change.at) < since)) break;
      out.push(change);
    }
    return out;
  }

  async history(id: string): Promise<ItemChange[]> {
    this.refresh();
    return this.newestChanges().filter((c) => c.itemId === id).reverse();
  }

  async recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]> {
    this.refresh();
    const min = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
    const listed = this.sets.get(`src:${sourceId}`)?.top(Number.MAX_SAFE_INTEGER) ?? [];
    const gone = this.sets.get(`gone:${sourceId}`)?.top(Number.MAX_SAFE_INTEGER) ?? [];
    const out: RecheckTarget[] = [];
    for (const id of [...listed, ...gone]) {
      const meta = this.items.meta(id);
      if (!meta || (!meta.withdrawnAt && Date.parse(meta.publishedAt) < min)) continue;
      out.push({ id, url: meta.url, publishedAt: meta.publishedAt, withdrawn: Boolean(meta.withdrawnAt) });
    }
    return out;
  }

  async latest(query: ItemQuery): Promise<Item[]> {
    this.refresh();
    const name = query.category ? `cat:${query.category}` : query.source ? `src:${query.source}` : 'all';
    let ids = this.sets.get(name)?.top(query.category && query.source ? Number.MAX_SAFE_INTEGER : query.limit) ?? [];
    if (query.category && query.source) ids = ids.filter((id) => this.items.meta(id)?.sourceIds.includes(query.source as string)).slice(0, query.limit);
    return ids.map((id) => this.readForFeed(id)).filter((i): i is StoredItem => i !== undefined).map(publicItem);
  }

  /** One damaged item leaves the feeds it belongs to, loudly, rather than taking them all down. */
  private readForFeed(id: string): StoredItem | undefined {
    try {
      return this.read(id);
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'STORE_CORRUPT') throw err;
      this.options.logger.error({ err, id }, `${err.message}; the item is left out of feeds`);
      return undefined;
    }
  }

  async get(id: string): Promise<Item | null> {
    const item = this.read(id);
    return item ? publicItem(item) : null;
  }

  /** A body line that no longer reads back usually means another process compacted: reload once, then it is an error. */
  private read(id: string): StoredItem | undefined {
    try {
      return this.items.get(id);
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'STORE_CORRUPT') throw err;
      this.open();
      this.mutations++;
      return this.items.get(id);
    }
  }

  async stats(): Promise<StoreStats> {
    this.refresh();
    const bySource: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    for (const [name, index] of this.sets) {
      if (name.startsWith('src:')) bySource[name.slice(4)] = index.size;
      else if (name.startsWith('cat:')) byCategory[name.slice(4)] = index.size;
    }
    return { items: this.items.size, bySource, byCategory };
  }

  async version(): Promise<string> {
    this.refresh();
    return `${this.epoch}.${this.mutations}`;
  }

  async getValidators(url: string, scope?: string): Promise<HttpValidators | null> {
    return this.validators.get(validatorKey(url, scope)) ?? null;
  }

  async setValidators(url: string, validators: HttpValidators, scope?: string): Promise<void> {
    await this.serial(async () => {
      const record: LogRecord = { t: 'val', url: validatorKey(url, scope), v: { etag: validators.etag, lastModified: validators.lastModified } };
      this.append(record);
      this.validators.set(record.url, record.v);
    });
  }

  /** One JSON file per name under dataDir/state, replaced atomically (temp file, fsync, rename). */
  async getState<T = unknown>(name: string): Promise<T | null> {
    try {
      return JSON.parse(fs.readFileSync(this.statePath(name), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreError('STORE_CORRUPT', `state ${this.statePath(name)} could not be read (${(err as Error).message})`, { cause: err });
    }
  }

  async setState(name: string, value: unknown): Promise<void> {
    const path = this.statePath(name);
    try {
      if (value === null) return fs.rmSync(path, { force: true });
      fs.mkdirSync(join(this.options.dataDir, 'state'), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      const fd = fs.openSync(temp, 'w');
      try {
        fs.writeFileSync(fd, JSON.stringify(value));
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, path);
    } catch (err) {
      throw new StoreError('STORE_FAILED', `state ${path} could not be written (${(err as Error).message})`, { cause: err });
    }
  }

  private statePath(name: string): string {
    return join(this.options.dataDir, 'state', `${encodeURIComponent(name)}.json`);
  }

  trim(now: Date = new Date()): Promise<number> {
    return this.serial(async () => {
      this.refresh();
      const all = this.sets.get('all');
      if (!all) return 0;
      const victims = new Set<string>();
      const cutoff = retentionCutoff(now, this.options.retentionDays);
      if (cutoff !== null) for (const id of all.olderThan(cutoff)) victims.add(id);
      if (this.options.maxItems !== null) for (const id of all.tail(this.options.maxItems)) victims.add(id);
      for (const id of victims) {
        this.append({ t: 'del', id });
        this.remove(id);
      }
      if (victims.size) this.options.logger.info({ removed: victims.size }, 'store: retention trimmed items');
      this.maybeCompact();
      return victims.size;
    });
  }

  async ping(): Promise<void> {
    if (this.fd === null) throw new StoreError('STORE_UNAVAILABLE', 'store is closed');
  }

  private maybeCompact(): void {
    if (this.logRecords > COMPACT_MIN_RECORDS && this.logRecords > 2 * this.items.size) this.compact();
  }

  /** Snapshot to a temp file, fsync, rename over the old one, then empty the log. */
  compact(): void {
    this.refresh();
    let written: ReturnType<typeof writeSnapshot>;
    try {
      written = this.snapshotItems();
    } catch (err) {
      // A body line that no longer reads back: the files changed under us; reload them and write what they hold.
      if (!(err instanceof StoreError && err.cause instanceof StoreError && err.cause.code === 'STORE_CORRUPT')) throw err;
      this.open();
      this.mutations++;
      written = this.snapshotItems();
    }
    this.items.moveBodies(written.file, written.lines);
    this.snapshotFile?.close();
    this.snapshotFile = written.file;
    fs.truncateSync(this.logPath, 0);
    this.snapshotStamp = fileStamp(fs.fstatSync(written.file.fd));
    this.readOffset = 0;
    this.logRecords = 0;
    this.needsNewline = false;
  }

  private snapshotItems(): ReturnType<typeof writeSnapshot> {
    const entries = [...this.items.ids()].map((id) => ({ meta: this.items.meta(id) as ItemMeta, rest: () => this.items.restOf(id) as ItemRest }));
    return writeSnapshot(this.snapshotPath, entries, this.validators, this.changeRecords.values());
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.fd === null) return;
    if (this.wrote && this.logRecords > 0) this.compact();
    fs.closeSync(this.fd);
    this.fd = null;
    this.logFile?.close();
    this.logFile = null;
    this.snapshotFile?.close();
    this.snapshotFile = null;
  }
}

function fileStamp(st: fs.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}
