import { compareNewest } from './decide.js';

interface Entry {
  score: number;
  id: string;
}

/** Ids ordered newest first (publishedAt desc, id desc), with O(log n) search. */
export class SortedIndex {
  private readonly entries: Entry[] = [];

  get size(): number {
    return this.entries.length;
  }

  private position(entry: Entry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNewest(this.entries[mid] as Entry, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(id: string, score: number): void {
    const entry = { score, id };
    const at = this.position(entry);
    const found = this.entries[at];
    if (found && found.id === id && found.score === score) return;
    this.entries.splice(at, 0, entry);
  }

  remove(id: string, score: number): void {
    const at = this.position({ score, id });
    const found = this.entries[at];
    if (found && found.id === id) this.entries.splice(at, 1);
  }

  top(limit: number): string[] {
    return this.entries.slice(0, Math.max(0, limit)).map((e) => e.id);
  }

  /** Ids from position `from` to the end (the oldest). */
  tail(from: number): string[] {
    return this.entries.slice(from).map((e) => e.id);
  }

  olderThan(score: number): string[] {
    return this.entries.filter((e) => e.score < score).map((e) => e.id);
  }
}
