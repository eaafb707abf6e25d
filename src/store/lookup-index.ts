import { lookupEntries } from './decide.js';
import type { ItemMeta } from './log-file.js';
import { Postings } from './postings.js';

/** The embedded store's maps for the upsert decision: identity key, content hash and fingerprint key → item id. */
export class LookupIndex {
  private readonly keys = new Map<string, string>();
  private readonly hashes = new Map<string, string>();
  private readonly fingerprints = new Postings();

  add(meta: ItemMeta): void {
    const entries = lookupEntries(meta);
    for (const key of entries.keys) this.keys.set(key, meta.id);
    for (const hash of entries.hashes) this.hashes.set(hash, meta.id);
    for (const key of entries.fingerprints) this.fingerprints.add(key, meta.id);
  }

  remove(meta: ItemMeta): void {
    const entries = lookupEntries(meta);
    for (const key of entries.keys) if (this.keys.get(key) === meta.id) this.keys.delete(key);
    for (const hash of entries.hashes) if (this.hashes.get(hash) === meta.id) this.hashes.delete(hash);
    for (const key of entries.fingerprints) this.fingerprints.delete(key, meta.id);
  }

  idForKey(key: string): string | null {
    return this.keys.get(key) ?? null;
  }

  idForHash(hash: string): string | null {
    return this.hashes.get(hash) ?? null;
  }

  /** Ids under any of the fingerprint keys, skipping keys shared by more than `maxPerKey`. */
  idsForFingerprints(keys: string[], maxPerKey: number): string[] {
    const out: string[] = [];
    for (const key of keys) for (const id of this.fingerprints.ids(key, maxPerKey)) if (!out.includes(id)) out.push(id);
    return out;
  }
}
