import type { ItemStore } from '../core/types.js';

/** Pages found not to be articles (chrome, listings, error pages) are not fetched again for this long. */
const REMEMBER_MS = 7 * 24 * 3600_000;
const MAX_REMEMBERED = 5000;

/** Links a source's runs found to be no article, kept as `rejected:<source>` state: identity key → epoch ms. */
export class RejectedPages {
  private dirty = false;

  private constructor(
    private readonly store: ItemStore,
    private readonly name: string,
    private readonly seen: Map<string, number>,
  ) {}

  static async load(store: ItemStore, sourceId: string, now: number): Promise<RejectedPages> {
    const name = `rejected:${sourceId}`;
    const doc = (await store.getState<Record<string, number>>(name)) ?? {};
    const live = Object.entries(doc).filter(([, at]) => typeof at === 'number' && now - at < REMEMBER_MS);
    return new RejectedPages(store, name, new Map(live));
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  add(key: string, now: number): void {
    this.seen.set(key, now);
    while (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await this.store.setState(this.name, Object.fromEntries(this.seen));
    this.dirty = false;
  }
}
