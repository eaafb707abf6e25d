import * as fs from 'node:fs';
import { StoreError } from '../core/errors.js';
import type { HttpValidators, ItemChange } from '../core/types.js';
import { BodyFile } from './item-table.js';
import { encodeRecord, readLineAt, readRecords, type ItemMeta, type ItemRest, type LineAt, type LogRecord } from './log-file.js';

/**
 * Snapshot layout, version 2: a `snap` header, one `body` line per item, then the `put` (meta and where
 * its body line is) and `val` records, then an `end` record saying where that record region starts.
 * Opening reads the header and the end, then the record region only: the bodies, most of the bytes,
 * are never read at start. Version 1 (each `put` a whole item, no body lines) still loads.
 */
const VERSION = 2;
const WRITE_CHUNK = 1 << 20;

export interface SnapshotEntry {
  meta: ItemMeta;
  rest: () => ItemRest;
}

/** Buffers lines into large writes and counts bytes, so each line's offset is known. */
class LineWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  position = 0;

  constructor(private readonly fd: number) {}

  write(line: string): LineAt {
    const length = Buffer.byteLength(line);
    const at = { offset: this.position, length };
    this.pending.push(line);
    this.pendingBytes += length;
    this.position += length;
    if (this.pendingBytes >= WRITE_CHUNK) this.flush();
    return at;
  }

  flush(): void {
    if (this.pending.length) fs.writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * Writes a snapshot to a temp file, fsyncs it and renames it over `path`. Returns the open file
 * (readable: the bodies are read from it from now on) and each item's body line.
 */
export function writeSnapshot(
  path: string,
  items: Iterable<SnapshotEntry>,
  validators: Iterable<[string, HttpValidators]>,
  changes: Iterable<ItemChange> = [],
): { file: BodyFile; lines: Map<string, LineAt> } {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w+');
  try {
    const out = new LineWriter(fd);
    const lines = new Map<string, LineAt>();
    const records: string[] = [];
    out.write(encodeRecord({ t: 'snap', v: VERSION }));
    for (const { meta, rest } of items) {
      const at = out.write(encodeRecord({ t: 'body', id: meta.id, rest: rest() }));
      lines.set(meta.id, at);
      records.push(encodeRecord({ t: 'put', item: meta, body: [at.offset, at.length] }));
    }
    for (const [url, v] of validators) records.push(encodeRecord({ t: 'val', url, v }));
    for (const change of changes) records.push(encodeRecord({ t: 'chg', change }));
    const from = out.position;
    for (const line of records) out.write(line);
    out.write(encodeRecord({ t: 'end', records: records.length, from }));
    out.flush();
    fs.fsyncSync(fd);
    fs.renameSync(temp, path);
    return { file: new BodyFile(path, fd), lines };
  } catch (cause) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new StoreError('STORE_FAILED', `cannot write store snapshot ${path}`, { cause });
  }
}

function corrupt(path: string, why: string, badLines: number[] = []): StoreError {
  return new StoreError('STORE_CORRUPT', `store snapshot ${path} is corrupt (${why}); restore it from a backup or move it away`, {
    details: { file: path, badLines },
  });
}

/** The first line's record, and the last line's, read without scanning the file between. */
function headAndTail(fd: number, size: number): { head: LogRecord | null; tail: LogRecord | null } {
  const probe = Buffer.alloc(Math.min(size, 4096));
  fs.readSync(fd, probe, 0, probe.length, 0);
  const headEnd = probe.indexOf(0x0a);
  const head = headEnd > 0 ? readLineAt(fd, { offset: 0, length: headEnd + 1 }) : null;
  fs.readSync(fd, probe, 0, probe.length, size - probe.length);
  const tailStart = probe.lastIndexOf(0x0a, probe.length - 2) + 1;
  const tail = probe[probe.length - 1] === 0x0a ? readLineAt(fd, { offset: size - probe.length + tailStart, length: probe.length - tailStart }) : null;
  return { head, tail };
}

/**
 * Opens and replays a snapshot; `apply` gets each record and where its line is. Returns the open
 * file (kept for reading bodies, even once a compaction elsewhere renames another over it), or null
 * when there is none. Anything torn or missing throws
 * STORE_CORRUPT naming the file.
 */
export function loadSnapshot(path: string, apply: (record: LogRecord, file: BodyFile, at: LineAt) => void): BodyFile | null {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError('STORE_FAILED', `cannot open store snapshot ${path}`, { cause });
  }
  const file = new BodyFile(path, fd);
  try {
    const size = fs.fstatSync(fd).size;
    const { head, tail } = size ? headAndTail(fd, size) : { head: null, tail: null };
    if (head?.t !== 'snap') throw corrupt(path, 'missing header');
    if (tail?.t !== 'end') throw corrupt(path, 'missing end record');
    const from = head.v >= 2 ? (tail.from ?? -1) : 0;
    if (from < 0 || from >= size) throw corrupt(path, 'end record without a valid record offset');
    let count = 0;
    const parsed = readRecords(fd, (record, at) => {
      if (record.t === 'snap' || record.t === 'end' || record.t === 'body') return;
      count++;
      apply(record, file, at);
    }, undefined, from);
    if (parsed.bad.length) throw corrupt(path, `bad line ${parsed.bad[0]}${from ? ` after byte ${from}` : ''}`, parsed.bad);
    if (count !== tail.records || (head.v === 1 && head.records !== count)) throw corrupt(path, `${count} records where the end record says ${tail.records}`);
    return file;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}
