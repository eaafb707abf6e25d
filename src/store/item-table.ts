import * as fs from 'node:fs';
import { StoreError } from '../core/errors.js';
import type { StoredItem } from './decide.js';
import { META_FIELDS, readLineAt, type ItemMeta, type ItemRest, type LineAt, type LogRecord } from './log-file.js';

/** An open snapshot or log file whose lines hold the non-meta part of items. */
export class BodyFile {
  constructor(
    readonly path: string,
    readonly fd: number,
  ) {}

  read(at: LineAt): ItemRest | null {
    return restOf(readLineAt(this.fd, at));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** What a record holds besides the meta: a snapshot `body` line, or a log `put` of a whole item. */
export function restOf(record: LogRecord | null): ItemRest | null {
  if (record?.t === 'body') return record.rest;
  if (record?.t === 'put' && !('body' in record)) return splitItem(record.item).rest;
  return null;
}

const IS_META = new Set<string>(META_FIELDS);

export function splitItem(item: StoredItem): { meta: ItemMeta; rest: ItemRest } {
  const meta: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) (IS_META.has(key) ? meta : rest)[key] = value;
  return { meta: meta as unknown as ItemMeta, rest: rest as unknown as ItemRest };
}

interface Entry {
  meta: ItemMeta;
  file: BodyFile;
  at: LineAt;
}

/**
 * The embedded store's items: metas (the indexed fields) in memory; the rest (title, lead, body HTML,
 * text…: most of an item's bytes) left in the file line that holds it and read back only when an item
 * is read whole (a feed render, a near-duplicate merge). Memory and start-up stay small however long
 * the articles are.
 */
export class ItemTable {
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  meta(id: string): ItemMeta | undefined {
    return this.entries.get(id)?.meta;
  }

  ids(): IterableIterator<string> {
    return this.entries.keys();
  }

  set(meta: ItemMeta, file: BodyFile, at: LineAt): void {
    this.entries.set(meta.id, { meta, file, at });
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** The whole item; a body line that no longer reads back (file replaced or damaged) is STORE_CORRUPT. */
  get(id: string): StoredItem | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    return { ...entry.meta, ...this.rest(entry) } as StoredItem;
  }

  restOf(id: string): ItemRest | undefined {
    const entry = this.entries.get(id);
    return entry && this.rest(entry);
  }

  /** Points bodies at their new lines after a compaction rewrote them. */
  moveBodies(file: BodyFile, lines: Map<string, LineAt>): void {
    for (const [id, at] of lines) {
      const entry = this.entries.get(id);
      if (entry) this.entries.set(id, { ...entry, file, at });
    }
  }

  private rest(entry: Entry): ItemRest {
    const rest = entry.file.read(entry.at);
    if (!rest) {
      throw new StoreError('STORE_CORRUPT', `store file ${entry.file.path}: the body of item ${entry.meta.id} at byte ${entry.at.offset} does not read back`, {
        details: { file: entry.file.path, id: entry.meta.id, offset: entry.at.offset },
      });
    }
    return rest;
  }
}
