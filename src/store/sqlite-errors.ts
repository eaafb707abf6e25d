import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, type ErrorCode } from '../core/errors.js';

type StoreCode = Extract<ErrorCode, `STORE_${string}`>;

interface Rule {
  code: StoreCode;
  /** What happened, after `store <file>: `. */
  says: (file: string) => string;
}

/** SQLite result codes (primary part, before any `_` suffix such as SQLITE_IOERR_WRITE) → what the operator is told. */
const RULES: Record<string, Rule> = {
  SQLITE_FULL: { code: 'STORE_FAILED', says: () => 'the disk is full; the write was rolled back and what was stored before is intact' },
  SQLITE_IOERR: { code: 'STORE_FAILED', says: () => 'an I/O error; the write was rolled back' },
  SQLITE_READONLY: { code: 'STORE_FAILED', says: (file) => `the database or its directory ${dirname(file)} is read-only` },
  SQLITE_CANTOPEN: { code: 'STORE_FAILED', says: (file) => `cannot open the database; is ${dirname(file)} writable?` },
  SQLITE_PERM: { code: 'STORE_FAILED', says: (file) => `permission denied in ${dirname(file)}` },
  SQLITE_BUSY: { code: 'STORE_FAILED', says: () => 'another process held the write lock for too long' },
  SQLITE_LOCKED: { code: 'STORE_FAILED', says: () => 'the database is locked' },
  SQLITE_CORRUPT: {
    code: 'STORE_CORRUPT',
    says: () => 'the database file is damaged; restore it from a backup or move it away (`sqlite3 <file> .recover` may save its rows)',
  },
  SQLITE_NOTADB: { code: 'STORE_CORRUPT', says: () => 'the file is not an SQLite database; restore it from a backup or move it away' },
};

/** SQLite reports some writes that ENOSPC stopped (growing the -shm file) as I/O errors: say what the disk says. */
function diskFull(file: string): boolean {
  try {
    return statfsSync(dirname(file)).bavail === 0;
  } catch {
    return false;
  }
}

/** Any error out of better-sqlite3 as a StoreError naming the database file; StoreErrors pass through. */
export function sqliteError(err: unknown, file: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  const primary = code.split('_').slice(0, 2).join('_');
  const rule = RULES[primary === 'SQLITE_IOERR' && diskFull(file) ? 'SQLITE_FULL' : primary];
  const message = (err as Error)?.message ?? String(err);
  if (!rule) {
    const closed = err instanceof TypeError && /not open/.test(message);
    return new StoreError(closed ? 'STORE_UNAVAILABLE' : 'STORE_FAILED', `store ${file}: ${message}`, { cause: err, details: { file } });
  }
  return new StoreError(rule.code, `store ${file}: ${rule.says(file)} (${code}: ${message})`, { cause: err, details: { file, sqlite: code } });
}
