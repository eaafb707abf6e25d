/**
 * Fingerprint key → item ids. Nearly every key names one item, so a lone id is kept as the string
 * itself and only shared keys get an array: a Set per key cost the embedded store ~12 MB per 10,000 items.
 */
const NONE: readonly string[] = [];

export class Postings {
  private readonly map = new Map<string, string | string[]>();

  add(key: string, id: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) this.map.set(key, id);
    else if (typeof entry === 'string') {
      if (entry !== id) this.map.set(key, [entry, id]);
    } else if (!entry.includes(id)) entry.push(id);
  }

  delete(key: string, id: string): void {
    const entry = this.map.get(key);
    if (entry === id) this.map.delete(key);
    else if (Array.isArray(entry)) {
      const rest = entry.filter((other) => other !== id);
      this.map.set(key, rest.length === 1 ? (rest[0] as string) : rest);
    }
  }

  /** Ids under `key`; a key shared by more than `max` ids is skipped (empty). */
  ids(key: string, max = Number.POSITIVE_INFINITY): readonly string[] {
    const entry = this.map.get(key);
    if (entry === undefined) return NONE;
    if (typeof entry === 'string') return [entry];
    return entry.length <= max ? entry : NONE;
  }
}
