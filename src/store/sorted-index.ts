import { compareNewest } from './decide.js';

interface Entry {
  score: number;
  id: string;
}

/** Ids ordered newest first (publishedAt desc, id desc), with O(log n) search. */
export class SortedIndex {
  private entries: Entry[] = [];
  /** Entries appended in bulk (while a store loads) and not sorted yet. */
  private unsorted = false;

  get size(): number {
    return this.entries.length;
  }

  private sorted(): Entry[] {
    if (this.unsorted) {
      this.entries.sort(compareNewest);
      this.entries = this.entries.filter((e, i, all) => i === 0 || e.id !== all[i - 1]!.id || e.score !== all[i - 1]!.score);
      this.unsorted = false;
    }
    return this.entries;
  }

  private position(entry: Entry): number {
    const entries = this.sorted();
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNewest(entries[mid] as Entry, entry) < 0) lo = mid + 1;
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

  /**
   * Adds without keeping order; sorted once at the next read. Loading n items this way costs
   * n log n instead of the n² of inserting each in place.
   */
  append(id: string, score: number): void {
    this.entries.push({ score, id });
    this.unsorted = true;
  }

  remove(id: string, score: number): void {
    const at = this.position({ score, id });
    const found = this.entries[at];
    if (found && found.id === id) this.entries.splice(at, 1);
  }

  top(limit: number): string[] {
    return this.sorted().slice(0, Math.max(0, limit)).map((e) => e.id);
  }

  /** Ids from position `from` to the end (the oldest). */
  tail(from: number): string[] {
    return this.sorted().slice(from).map((e) => e.id);
  }

  olderThan(score: number): string[] {
    return this.sorted().filter((e) => e.score < score).map((e) => e.id);
  }
}
