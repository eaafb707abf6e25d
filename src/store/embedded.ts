import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';
import type { HttpValidators, Item, ItemCandidate, ItemQuery, LeaseLock, StoreStats, UpsertOutcome } from '../core/types.js';
import { canonicalUrl, identityKey } from './canonical.js';
import { decide, indexEntries, publicItem, type DecisionReader, type StoredItem } from './decide.js';
import { PackedItems } from './packed-items.js';
import { FileLeaseLock } from './lease-file.js';
import { encodeRecord, parseLines, readRecords, type LogRecord } from './log-file.js';
import { SortedIndex } from './sorted-index.js';
import type { OpenStore, StoreOptions } from './options.js';
import { retentionCutoff } from './options.js';

const LOG_FILE = 'items.log';
const SNAPSHOT_FILE = 'snapshot.jsonl';
const COMPACT_MIN_RECORDS = 1000;

/** The default store: everything in memory, persisted as an append-only checksummed log plus a snapshot. */
export class EmbeddedStore implements OpenStore {
  readonly kind = 'embedded' as const;
  readonly lock: LeaseLock;
  private items = new PackedItems();
  private keys = new Map<string, string>();
  private hashes = new Map<string, string>();
  private bands = new Map<string, Set<string>>();
  private sets = new Map<string, SortedIndex>();
  private validators = new Map<string, HttpValidators>();
  private readonly epoch = randomUUID().slice(0, 8);
  private changes = 0;
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

  /** Loads snapshot and log; a corrupt snapshot throws, a torn log line is reported and skipped. */
  /** True while open() replays snapshot and log: indexes are sorted once at the end, not per item. */
  private loading = false;

  open(): void {
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    this.reset();
    this.loading = true;
    try {
      this.loadSnapshot();
      this.readOffset = 0;
      this.logRecords = 0;
      this.readLogTail(true);
    } finally {
      this.loading = false;
    }
    this.fd ??= fs.openSync(this.logPath, 'a');
  }

  private reset(): void {
    this.items = new PackedItems();
    this.keys = new Map();
    this.hashes = new Map();
    this.bands = new Map();
    this.sets = new Map();
    this.validators = new Map();
  }

  private stamp(path: string): string {
    try {
      const st = fs.statSync(path);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }

  private loadSnapshot(): void {
    this.snapshotStamp = this.stamp(this.snapshotPath);
    if (!this.snapshotStamp) return;
    let head: LogRecord | null = null;
    let tail: LogRecord | null = null;
    const parsed = readRecords(this.snapshotPath, (record) => {
      head ??= record;
      tail = record;
      this.apply(record);
    });
    const body = parsed.count - 2;
    const h = head as LogRecord | null;
    const t = tail as LogRecord | null;
    if (parsed.bad.length || h?.t !== 'snap' || t?.t !== 'end' || h.records !== body || t.records !== body) {
      const where = parsed.bad.length ? ` (bad line ${parsed.bad[0]})` : ' (missing header or end record)';
      throw new StoreError('STORE_CORRUPT', `store snapshot ${this.snapshotPath} is corrupt${where}; restore it from a backup or move it away`, {
        details: { file: this.snapshotPath, badLines: parsed.bad },
      });
    }
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
    const buffer = Buffer.alloc(size - this.readOffset);
    const fd = fs.openSync(this.logPath, 'r');
    try {
      fs.readSync(fd, buffer, 0, buffer.length, this.readOffset);
    } finally {
      fs.closeSync(fd);
    }
    const parsed = parseLines(opening ? buffer : buffer.subarray(0, buffer.lastIndexOf(0x0a) + 1));
    for (const record of parsed.records) this.apply(record);
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
      this.changes++;
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
      this.changes++;
    } else if (size > this.readOffset) {
      this.readLogTail(false);
    }
  }

  private apply(record: LogRecord): void {
    if (record.t === 'put') this.put(record.item);
    else if (record.t === 'del') this.remove(record.id);
    else if (record.t === 'val') this.validators.set(record.url, record.v);
  }

  private put(item: StoredItem): void {
    const before = this.items.get(item.id);
    if (before && JSON.stringify(before) === JSON.stringify(item)) return;
    if (before) this.unindex(before);
    this.items.set(item);
    const entries = indexEntries(item);
    for (const key of entries.keys) this.keys.set(key, item.id);
    for (const hash of entries.hashes) this.hashes.set(hash, item.id);
    for (const band of entries.fingerprints) {
      let set = this.bands.get(band);
      if (!set) this.bands.set(band, (set = new Set()));
      set.add(item.id);
    }
    for (const name of entries.sets) {
      let index = this.sets.get(name);
      if (!index) this.sets.set(name, (index = new SortedIndex()));
      if (this.loading) index.append(item.id, entries.score);
      else index.add(item.id, entries.score);
    }
    this.changes++;
  }

  private unindex(item: StoredItem): void {
    const entries = indexEntries(item);
    for (const key of entries.keys) if (this.keys.get(key) === item.id) this.keys.delete(key);
    for (const hash of entries.hashes) if (this.hashes.get(hash) === item.id) this.hashes.delete(hash);
    for (const band of entries.fingerprints) {
      const set = this.bands.get(band);
      set?.delete(item.id);
      if (set?.size === 0) this.bands.delete(band);
    }
    for (const name of entries.sets) {
      const index = this.sets.get(name);
      index?.remove(item.id, entries.score);
      if (index?.size === 0) this.sets.delete(name);
    }
  }

  private remove(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.unindex(item);
    this.items.delete(id);
    this.changes++;
  }

  /** One write call per record; fdatasync so an acknowledged write survives a machine crash too. */
  private append(record: LogRecord): void {
    if (this.fd === null) throw new StoreError('STORE_FAILED', 'store is closed');
    const line = (this.needsNewline ? '\n' : '') + encodeRecord(record);
    this.needsNewline = false;
    const bytes = Buffer.from(line, 'utf8');
    try {
      const sizeBefore = fs.fstatSync(this.fd).size;
      fs.writeSync(this.fd, bytes);
      fs.fdatasyncSync(this.fd);
      if (sizeBefore === this.readOffset) this.readOffset += bytes.length;
    } catch (cause) {
      throw new StoreError('STORE_FAILED', `cannot write store log ${this.logPath}`, { cause });
    }
    this.logRecords++;
    this.wrote = true;
  }

  private reader(): DecisionReader {
    return {
      idForKey: async (key) => this.keys.get(key) ?? null,
      idForHash: async (hash) => this.hashes.get(hash) ?? null,
      idsForFingerprints: async (keys, maxPerKey) => {
        const sets = keys.map((k) => this.bands.get(k)).filter((set): set is Set<string> => set !== undefined && set.size <= maxPerKey);
        return [...new Set(sets.flatMap((set) => [...set]))];
      },
      load: async (id) => this.items.get(id) ?? null,
    };
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Writes run one at a time so a decision never sees another write half-applied. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async knows(url: string): Promise<boolean> {
    this.refresh();
    return this.keys.has(identityKey(url));
  }

  upsert(candidate: ItemCandidate, now: Date = new Date()): Promise<UpsertOutcome> {
    return this.serial(async () => {
      this.refresh();
      const decision = await decide(candidate, now, this.reader(), this.options.nearDuplicateDistance, this.options.logger);
      if (decision.changed) {
        this.append({ t: 'put', item: decision.after });
        this.put(decision.after);
        this.maybeCompact();
      }
      return decision.outcome;
    });
  }

  async latest(query: ItemQuery): Promise<Item[]> {
    this.refresh();
    const name = query.category ? `cat:${query.category}` : query.source ? `src:${query.source}` : 'all';
    let ids = this.sets.get(name)?.top(query.category && query.source ? Number.MAX_SAFE_INTEGER : query.limit) ?? [];
    if (query.category && query.source) ids = ids.filter((id) => this.items.meta(id)?.sourceIds.includes(query.source as string)).slice(0, query.limit);
    return ids.map((id) => this.items.get(id)).filter((i): i is StoredItem => i !== undefined).map(publicItem);
  }

  async get(id: string): Promise<Item | null> {
    const item = this.items.get(id);
    return item ? publicItem(item) : null;
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
    return `${this.epoch}.${this.changes}`;
  }

  async getValidators(url: string): Promise<HttpValidators | null> {
    return this.validators.get(canonicalUrl(url)) ?? null;
  }

  async setValidators(url: string, validators: HttpValidators): Promise<void> {
    await this.serial(async () => {
      const record: LogRecord = { t: 'val', url: canonicalUrl(url), v: { etag: validators.etag, lastModified: validators.lastModified } };
      this.append(record);
      this.apply(record);
    });
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
    const records: LogRecord[] = [...this.items.values()].map((item) => ({ t: 'put', item }) as LogRecord);
    for (const [url, v] of this.validators) records.push({ t: 'val', url, v });
    const body = [encodeRecord({ t: 'snap', v: 1, records: records.length }), ...records.map(encodeRecord), encodeRecord({ t: 'end', records: records.length })];
    const temp = `${this.snapshotPath}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, body.join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.snapshotPath);
    fs.truncateSync(this.logPath, 0);
    this.snapshotStamp = this.stamp(this.snapshotPath);
    this.readOffset = 0;
    this.logRecords = 0;
    this.needsNewline = false;
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.fd === null) return;
    if (this.wrote && this.logRecords > 0) this.compact();
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
