import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { StoreError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { HttpValidators, ItemChange } from '../core/types.js';
import type { StoredItem } from './decide.js';

/**
 * One-time import of a data dir written by the file store portalfeed had before SQLite (`snapshot.jsonl`
 * plus `items.log`, checksummed JSON lines). Only the readers are left of that store.
 */
const SNAPSHOT = 'snapshot.jsonl';
const LOG = 'items.log';
const STATE_DIR = 'state';
const IMPORTED = '.imported';

type LegacyRecord =
  | { t: 'put'; item: StoredItem; chg?: ItemChange[] }
  | { t: 'chg'; change: ItemChange }
  | { t: 'put'; item: Omit<StoredItem, 'title'>; body: [number, number] }
  | { t: 'body'; id: string; rest: Record<string, unknown> }
  | { t: 'del'; id: string }
  | { t: 'val'; url: string; v: HttpValidators }
  | { t: 'snap'; v: 1 | 2; records?: number }
  | { t: 'end'; records: number; from?: number };

/** What the import writes through; the SQLite store runs it all in one transaction. */
export interface ImportTarget {
  transaction<T>(task: () => T): T;
  writeItem(item: StoredItem): void;
  writeChanges(changes: ItemChange[]): void;
  removeItem(id: string): boolean;
  putValidators(key: string, v: HttpValidators): void;
  putState(name: string, value: unknown): void;
  itemCount(): number;
}

/** `<crc32, 8 hex> <json>`, or before CRC-32 the first 12 hex digits of a SHA-256. */
function decodeLine(buffer: Buffer, start: number, end: number): LegacyRecord | null {
  const space = buffer.indexOf(0x20, start);
  if (space <= start || space >= end) return null;
  const sum = buffer.toString('latin1', start, space);
  const json = buffer.toString('utf8', space + 1, end);
  const ok =
    sum.length === 8
      ? crc32(buffer.subarray(space + 1, end)) === Number.parseInt(sum, 16)
      : createHash('sha256').update(json).digest('hex').slice(0, 12) === sum;
  if (!ok) return null;
  try {
    return JSON.parse(json) as LegacyRecord;
  } catch {
    return null;
  }
}

/** The record on the line at `offset` (length includes the newline), or null. */
function readLineAt(fd: number, offset: number, length: number): LegacyRecord | null {
  const buffer = Buffer.alloc(length);
  if (fs.readSync(fd, buffer, 0, length, offset) !== length || buffer[length - 1] !== 0x0a) return null;
  return decodeLine(buffer, 0, length - 1);
}

/** Streams the file's lines from `from` in 4 MiB slices; returns the 1-based numbers of bad lines (a torn last line is one). */
function readRecords(fd: number, onRecord: (record: LegacyRecord) => void, from = 0): number[] {
  const bad: number[] = [];
  const slice = Buffer.alloc(4 * 1024 * 1024);
  let carry = Buffer.alloc(0);
  let position = from;
  let line = 1;
  for (;;) {
    const read = fs.readSync(fd, slice, 0, slice.length, position + carry.length);
    const chunk = Buffer.concat([carry, slice.subarray(0, read)]);
    const end = read ? chunk.lastIndexOf(0x0a) + 1 : chunk.length;
    for (let start = 0; start < end; line++) {
      const newline = chunk.indexOf(0x0a, start);
      const stop = newline === -1 || newline >= end ? end : newline;
      if (chunk.subarray(start, stop).toString('latin1').trim()) {
        const record = newline === -1 ? null : decodeLine(chunk, start, stop);
        if (record) onRecord(record);
        else bad.push(line);
      }
      start = stop + 1;
    }
    position += end;
    carry = Buffer.from(chunk.subarray(end));
    if (!read) return bad;
  }
}

function corrupt(file: string, why: string): StoreError {
  return new StoreError('STORE_CORRUPT', `old-format store file ${file} is corrupt (${why}) and was not imported`, { details: { file } });
}

/** Snapshot version 2: a `snap` header, `body` lines, then `put`/`val` records from the offset the `end` record gives. Version 1 puts whole items. */
function readSnapshot(path: string, apply: (record: LegacyRecord) => void): void {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const probe = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, probe, 0, probe.length, 0);
    const head = readLineAt(fd, 0, probe.indexOf(0x0a) + 1 || 1);
    fs.readSync(fd, probe, 0, probe.length, size - probe.length);
    const tailStart = probe.lastIndexOf(0x0a, probe.length - 2) + 1;
    const tail = readLineAt(fd, size - probe.length + tailStart, probe.length - tailStart);
    if (head?.t !== 'snap') throw corrupt(path, 'missing header');
    if (tail?.t !== 'end') throw corrupt(path, 'missing end record');
    const from = head.v >= 2 ? (tail.from ?? -1) : 0;
    if (from < 0 || from >= size) throw corrupt(path, 'end record without a valid record offset');
    let count = 0;
    const bad = readRecords(
      fd,
      (record) => {
        if (record.t === 'snap' || record.t === 'end' || record.t === 'body') return;
        count++;
        if (record.t === 'put' && 'body' in record) {
          const body = readLineAt(fd, record.body[0], record.body[1]);
          if (body?.t !== 'body' || body.id !== record.item.id)
            throw corrupt(path, `the body of item ${record.item.id} at byte ${record.body[0]} does not read back`);
          apply({ t: 'put', item: { ...record.item, ...body.rest } as StoredItem });
        } else apply(record);
      },
      from,
    );
    if (bad.length) throw corrupt(path, `bad line ${bad[0]}${from ? ` after byte ${from}` : ''}`);
    if (count !== tail.records) throw corrupt(path, `${count} records where the end record says ${tail.records}`);
  } finally {
    fs.closeSync(fd);
  }
}

function exists(path: string): boolean {
  return fs.existsSync(path);
}

/**
 * Imports snapshot, log (torn lines skipped with a warning, as the old store did) and state files in one
 * transaction, then renames them to `*.imported` so the import runs once. A corrupt snapshot refuses the
 * start with what to do; nothing is written then.
 */
export function importLegacyDataDir(dir: string, target: ImportTarget, logger: Logger): void {
  const snapshot = join(dir, SNAPSHOT);
  const log = join(dir, LOG);
  const stateDir = join(dir, STATE_DIR);
  const found = [snapshot, log, stateDir].filter(exists);
  if (!found.length) return;
  let items = 0;
  const apply = (record: LegacyRecord): void => {
    if (record.t === 'put') {
      target.writeItem(record.item as StoredItem);
      if ('chg' in record && record.chg) target.writeChanges(record.chg);
    } else if (record.t === 'chg') target.writeChanges([record.change]);
    else if (record.t === 'del') target.removeItem(record.id);
    else if (record.t === 'val') target.putValidators(record.url, record.v);
  };
  try {
    target.transaction(() => {
      if (exists(snapshot)) readSnapshot(snapshot, apply);
      if (exists(log)) {
        const fd = fs.openSync(log, 'r');
        try {
          const bad = readRecords(fd, apply);
          if (bad.length)
            logger.warn({ file: log, badLines: bad }, `store import: ${log}: skipped ${bad.length} torn or corrupt line(s) (line ${bad.join(', ')})`);
        } finally {
          fs.closeSync(fd);
        }
      }
      if (exists(stateDir)) {
        for (const name of fs.readdirSync(stateDir).filter((f) => f.endsWith('.json'))) {
          target.putState(decodeURIComponent(name.slice(0, -5)), JSON.parse(fs.readFileSync(join(stateDir, name), 'utf8')));
        }
      }
      items = target.itemCount();
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new StoreError(
      err instanceof StoreError && err.code !== 'STORE_CORRUPT' ? 'STORE_FAILED' : 'STORE_CORRUPT',
      `store data dir ${dir} holds the old file format (${found.join(', ')}), which could not be imported: ${why}. ` +
        `Restore the files from a backup and start again, or move them out of ${dir} to start with an empty store.`,
      { cause: err, details: { dataDir: dir, files: found } },
    );
  }
  for (const path of found) fs.renameSync(path, `${path}${IMPORTED}`);
  fs.rmSync(join(dir, 'locks'), { recursive: true, force: true });
  logger.warn(
    { dataDir: dir, items, files: found },
    `store: imported ${items} items from the old file format in ${dir}; the old files are kept as *${IMPORTED} (delete them once satisfied)`,
  );
}
