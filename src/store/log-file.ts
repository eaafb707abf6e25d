import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { HttpValidators, ItemChange } from '../core/types.js';
import type { StoredItem } from './decide.js';

/** The fields the embedded store indexes and keeps in memory; the rest of an item stays on disk (item-table.ts). */
export const META_FIELDS = ['id', 'url', 'aliases', 'sourceIds', 'categories', 'publishedAt', 'contentHash', 'hashes', 'simhash', 'anchors', 'sketch', 'withdrawnAt', 'misses'] as const;

export type ItemMeta = Pick<StoredItem, (typeof META_FIELDS)[number]>;
/** What an item has besides its meta: title, author, dates, lead, body HTML and text… */
export type ItemRest = Omit<StoredItem, keyof ItemMeta>;

/** `[offset, length]` of the line in the same file that holds an item's bodies. */
export type BodyAt = [number, number];

/**
 * One line of the item log or snapshot: full states, so replaying a record twice is harmless.
 * A log `put` carries the whole item; a version 2 snapshot's `put` carries the meta and where its
 * `body` line is, and its `end` record says where the records start after the body lines.
 */
export type LogRecord =
  | { t: 'put'; item: StoredItem; chg?: ItemChange[] }
  | { t: 'chg'; change: ItemChange }
  | { t: 'put'; item: ItemMeta; body: BodyAt }
  | { t: 'body'; id: string; rest: ItemRest }
  | { t: 'del'; id: string }
  | { t: 'val'; url: string; v: HttpValidators }
  | { t: 'snap'; v: 1 | 2; records?: number }
  | { t: 'end'; records: number; from?: number };

/** Where a record's line lies in its file. */
export interface LineAt {
  offset: number;
  length: number;
}

/** Lines written before CRC-32 carry the first 12 hex digits of a SHA-256; they still read. */
function legacyChecksum(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex').slice(0, 12);
}

/** `<crc32 as 8 hex digits> <json>\n`: a line whose checksum does not match was torn or damaged. */
export function encodeRecord(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

const SPACE = 0x20;

/** Decodes bytes `start`..`end` (without the newline); the CRC is checked on the bytes, before any string is made. */
export function decodeLine(buffer: Buffer, start: number, end: number): LogRecord | null {
  const space = buffer.indexOf(SPACE, start);
  if (space <= start || space >= end) return null;
  const sum = buffer.toString('latin1', start, space);
  let json: string;
  if (sum.length === 8) {
    if (crc32(buffer.subarray(space + 1, end)) !== Number.parseInt(sum, 16)) return null;
    json = buffer.toString('utf8', space + 1, end);
  } else {
    json = buffer.toString('utf8', space + 1, end);
    if (legacyChecksum(json) !== sum) return null;
  }
  try {
    return JSON.parse(json) as LogRecord;
  } catch {
    return null;
  }
}

export interface ParsedLog {
  records: LogRecord[];
  /** Where each record's line starts, relative to the buffer, and its length with the newline. */
  lines: LineAt[];
  /** 1-based line numbers of lines that failed their checksum. */
  bad: number[];
  /** Bytes up to and including the last newline. */
  complete: number;
}

/** Parses whole lines of a buffer; a last line without its newline counts as bad (torn write). */
export function parseLines(buffer: Buffer, firstLine = 1): ParsedLog {
  const records: LogRecord[] = [];
  const lines: LineAt[] = [];
  const { bad, complete } = scanLines(buffer, firstLine, 0, (record, at) => {
    records.push(record);
    lines.push(at);
  });
  return { records, lines, bad, complete };
}

/** The record of the line at `at` in an open file, or null when it is not a whole good line. */
export function readLineAt(fd: number, at: LineAt): LogRecord | null {
  const buffer = Buffer.allocUnsafe(at.length);
  const read = fs.readSync(fd, buffer, 0, at.length, at.offset);
  if (read !== at.length || buffer[at.length - 1] !== 0x0a) return null;
  return decodeLine(buffer, 0, at.length - 1);
}

/**
 * Reads a file in slices and hands each good record over as soon as it is decoded, so loading a
 * large snapshot never holds the whole file, nor all its records, in memory at once.
 */
export function readRecords(
  file: string | number,
  onRecord: (record: LogRecord, at: LineAt) => void,
  sliceBytes = READ_SLICE,
  from = 0,
): { bad: number[]; count: number } {
  const fd = typeof file === 'number' ? file : fs.openSync(file, 'r');
  const bad: number[] = [];
  let count = 0;
  let carry = Buffer.alloc(0);
  let line = 1;
  let position = from;
  try {
    const slice = Buffer.alloc(sliceBytes);
    for (;;) {
      const read = fs.readSync(fd, slice, 0, slice.length, position + carry.length);
      const chunk = read ? Buffer.concat([carry, slice.subarray(0, read)]) : carry;
      const end = read ? chunk.lastIndexOf(0x0a) + 1 : chunk.length;
      const scanned = scanLines(chunk.subarray(0, end), line, position, (record, at) => {
        count++;
        onRecord(record, at);
      });
      bad.push(...scanned.bad);
      line += scanned.lines;
      position += end;
      carry = Buffer.from(chunk.subarray(end));
      if (!read) break;
    }
  } finally {
    if (typeof file !== 'number') fs.closeSync(fd);
  }
  return { bad, count };
}

const READ_SLICE = 4 * 1024 * 1024;

const BLANK = new Set([0x20, 0x09, 0x0d]);

function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!BLANK.has(buffer[i] as number)) return false;
  return true;
}

function scanLines(
  buffer: Buffer,
  firstLine: number,
  base: number,
  onRecord: (record: LogRecord, at: LineAt) => void,
): { bad: number[]; complete: number; lines: number } {
  const bad: number[] = [];
  let start = 0;
  let line = firstLine;
  while (start < buffer.length) {
    const end = buffer.indexOf(0x0a, start);
    if (!isBlank(buffer, start, end === -1 ? buffer.length : end)) {
      const record = end === -1 ? null : decodeLine(buffer, start, end);
      if (record) onRecord(record, { offset: base + start, length: end - start + 1 });
      else bad.push(line);
    }
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  const lastNewline = buffer.lastIndexOf(0x0a);
  return { bad, complete: lastNewline + 1, lines: line - firstLine };
}
