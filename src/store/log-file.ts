import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { HttpValidators } from '../core/types.js';
import type { StoredItem } from './decide.js';

/** One line of the item log or snapshot: full states, so replaying a record twice is harmless. */
export type LogRecord =
  | { t: 'put'; item: StoredItem }
  | { t: 'del'; id: string }
  | { t: 'val'; url: string; v: HttpValidators }
  | { t: 'snap'; v: 1; records: number }
  | { t: 'end'; records: number };

function checksum(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex').slice(0, 12);
}

/** `<checksum> <json>\n`: a line whose checksum does not match was torn or damaged. */
export function encodeRecord(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

export function decodeRecord(line: string): LogRecord | null {
  const space = line.indexOf(' ');
  if (space <= 0) return null;
  const json = line.slice(space + 1);
  if (checksum(json) !== line.slice(0, space)) return null;
  try {
    return JSON.parse(json) as LogRecord;
  } catch {
    return null;
  }
}

export interface ParsedLog {
  records: LogRecord[];
  /** 1-based line numbers of lines that failed their checksum. */
  bad: number[];
  /** Bytes up to and including the last newline. */
  complete: number;
}

/** Parses whole lines of a buffer; a last line without its newline counts as bad (torn write). */
export function parseLines(buffer: Buffer, firstLine = 1): ParsedLog {
  const records: LogRecord[] = [];
  const { bad, complete } = scanLines(buffer, firstLine, (record) => records.push(record));
  return { records, bad, complete };
}

/**
 * Reads a file in slices and hands each good record over as soon as it is decoded, so loading a
 * large snapshot never holds the whole file, nor all its records, in memory at once.
 */
export function readRecords(
  path: string,
  onRecord: (record: LogRecord) => void,
  sliceBytes = READ_SLICE,
): { bad: number[]; count: number } {
  const fd = fs.openSync(path, 'r');
  const bad: number[] = [];
  let count = 0;
  let carry = Buffer.alloc(0);
  let line = 1;
  try {
    const slice = Buffer.alloc(sliceBytes);
    for (;;) {
      const read = fs.readSync(fd, slice, 0, slice.length, null);
      const chunk = read ? Buffer.concat([carry, slice.subarray(0, read)]) : carry;
      const end = read ? chunk.lastIndexOf(0x0a) + 1 : chunk.length;
      const scanned = scanLines(chunk.subarray(0, end), line, (record) => {
        count++;
        onRecord(record);
      });
      bad.push(...scanned.bad);
      line += scanned.lines;
      carry = Buffer.from(chunk.subarray(end));
      if (!read) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bad, count };
}

const READ_SLICE = 4 * 1024 * 1024;

function scanLines(buffer: Buffer, firstLine: number, onRecord: (record: LogRecord) => void): { bad: number[]; complete: number; lines: number } {
  const bad: number[] = [];
  let start = 0;
  let line = firstLine;
  while (start < buffer.length) {
    const end = buffer.indexOf(0x0a, start);
    const text = buffer.toString('utf8', start, end === -1 ? buffer.length : end);
    if (text.trim() !== '') {
      const record = end === -1 ? null : decodeRecord(text);
      if (record) onRecord(record);
      else bad.push(line);
    }
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  const lastNewline = buffer.lastIndexOf(0x0a);
  return { bad, complete: lastNewline + 1, lines: line - firstLine };
}
