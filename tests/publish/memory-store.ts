import { createHash } from 'node:crypto';
import { StoreError } from '../../src/core/errors.js';
import type {
  ChangeQuery,
  GoneOutcome,
  HttpValidators,
  ItemChange,
  RecheckTarget,
  Item,
  ItemCandidate,
  ItemQuery,
  ItemStore,
  StoreStats,
  UpsertOutcome,
} from '../../src/core/types.js';

/** UUID (version 5 layout) derived from a guid, as the real stores do. */
export function uuidFromGuid(guid: string): string {
  const hex = createHash('sha1').update(`portalfeed:${guid}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A working in-memory ItemStore for the publish/serve tests: exact-URL dedup only, newest-first
 * queries, a version bumped on every change, call counters, and an outage switch.
 */
export class MemoryStore implements ItemStore {
  readonly kind = 'embedded' as const;
  readonly calls = { latest: 0, version: 0, ping: 0, stats: 0 };
  private readonly items = new Map<string, Item>();
  private readonly validators = new Map<string, HttpValidators>();
  private readonly state = new Map<string, unknown>();
  private readonly changeList: ItemChange[] = [];
  private revision = 0;
  private available = true;
  /** Makes matching latest() queries fail, to simulate a store that breaks halfway through a refresh. */
  failQuery: ((query: ItemQuery) => boolean) | null = null;

  /** Simulates the backing service going away (every call throws STORE_UNAVAILABLE) or coming back. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  private check(): void {
    if (!this.available) throw new StoreError('STORE_UNAVAILABLE', 'memory store is switched off');
  }

  /** Records a change (tests build them directly, as they do items). */
  addChange(change: ItemChange): void {
    this.changeList.push(change);
    this.revision++;
  }

  /** Puts a complete item in place (tests build items directly). */
  put(item: Item): void {
    this.items.set(item.id, item);
    this.revision++;
  }

  async knows(url: string, sourceId?: string): Promise<boolean> {
    this.check();
    return [...this.items.values()].some(
      (item) => (item.url === url || item.aliases.includes(url)) && (sourceId === undefined || item.sourceIds.includes(sourceId)),
    );
  }

  async upsert(candidate: ItemCandidate, now = new Date()): Promise<UpsertOutcome> {
    this.check();
    const existing = [...this.items.values()].find((item) => item.url === candidate.url || item.aliases.includes(candidate.url));
    const contentHash = createHash('sha256').update(candidate.text).digest('hex');
    if (existing) {
      if (existing.contentHash === contentHash && existing.title === candidate.title)
        return { status: 'unchanged', item: existing, matchedBy: 'url' };
      const updated: Item = {
        ...existing,
        title: candidate.title,
        contentHtml: candidate.contentHtml,
        text: candidate.text,
        contentHash,
        updatedAt: now.toISOString(),
      };
      this.put(updated);
      this.addChange({
        id: `${existing.id}/edited/${now.getTime()}`,
        kind: 'edited',
        itemId: existing.id,
        guid: existing.guid,
        url: existing.url,
        at: now.toISOString(),
        oldTitle: existing.title,
        newTitle: updated.title,
        oldText: existing.text,
        newText: updated.text,
      });
      return { status: 'updated', item: updated, matchedBy: 'url' };
    }
    const item: Item = {
      guid: candidate.url,
      id: uuidFromGuid(candidate.url),
      url: candidate.url,
      aliases: [],
      sourceIds: [candidate.sourceId],
      title: candidate.title,
      publishedAt: candidate.publishedAt ?? now.toISOString(),
      dateIsFirstSeen: candidate.publishedAt === null,
      firstSeenAt: now.toISOString(),
      updatedAt: null,
      author: candidate.author,
      sourceName: candidate.sourceName,
      lead: candidate.lead,
      contentHtml: candidate.contentHtml,
      text: candidate.text,
      image: candidate.image,
      section: candidate.section,
      categories: candidate.categories,
      places: candidate.places,
      contentHash,
      simhash: contentHash.slice(0, 16),
    };
    this.put(item);
    return { status: 'new', item };
  }

  async latest(query: ItemQuery): Promise<Item[]> {
    this.calls.latest++;
    this.check();
    if (this.failQuery?.(query)) throw new StoreError('STORE_UNAVAILABLE', 'memory store query failed');
    return [...this.items.values()]
      .filter((item) => !item.withdrawnAt)
      .filter(
        (item) =>
          (query.category === undefined || item.categories.includes(query.category)) &&
          (query.source === undefined || item.sourceIds.includes(query.source)),
      )
      .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.id.localeCompare(b.id))
      .slice(0, query.limit);
  }

  async get(id: string): Promise<Item | null> {
    this.check();
    return this.items.get(id) ?? null;
  }

  async stats(): Promise<StoreStats> {
    this.calls.stats++;
    this.check();
    const stats: StoreStats = { items: this.items.size, bySource: {}, byCategory: {} };
    for (const item of this.items.values()) {
      for (const s of item.sourceIds) stats.bySource[s] = (stats.bySource[s] ?? 0) + 1;
      for (const c of item.categories) stats.byCategory[c] = (stats.byCategory[c] ?? 0) + 1;
    }
    return stats;
  }

  async version(): Promise<string> {
    this.calls.version++;
    this.check();
    return String(this.revision);
  }

  async getValidators(url: string, scope?: string): Promise<HttpValidators | null> {
    this.check();
    return this.validators.get(`${scope ?? ''} ${url}`) ?? null;
  }

  async setValidators(url: string, validators: HttpValidators, scope?: string): Promise<void> {
    this.check();
    this.validators.set(`${scope ?? ''} ${url}`, validators);
  }

  async getState<T = unknown>(name: string): Promise<T | null> {
    this.check();
    return (this.state.has(name) ? structuredClone(this.state.get(name)) : null) as T | null;
  }

  async setState(name: string, value: unknown): Promise<void> {
    this.check();
    if (value === null) this.state.delete(name);
    else this.state.set(name, structuredClone(value));
  }

  /** Withdraws at once on any 404/410 (the two-strike rule is the real stores'; see tests/store). */
  async markGone(id: string, status: number, now = new Date()): Promise<GoneOutcome> {
    this.check();
    const item = this.items.get(id);
    if (!item) return 'unknown';
    if (item.withdrawnAt) return 'already-withdrawn';
    this.put({ ...item, withdrawnAt: now.toISOString() });
    this.addChange({
      id: `${id}/withdrawn/${now.getTime()}`,
      kind: 'withdrawn',
      itemId: id,
      guid: item.guid,
      url: item.url,
      at: now.toISOString(),
      oldTitle: item.title,
      newTitle: item.title,
      oldText: item.text,
      newText: item.text,
      status,
      restoredAt: null,
    });
    return 'withdrawn';
  }

  async markPresent(id: string, now = new Date()): Promise<boolean> {
    this.check();
    const item = this.items.get(id);
    if (!item?.withdrawnAt) return false;
    this.put({ ...item, withdrawnAt: null });
    const withdrawal = this.changeList.findLast((c) => c.itemId === id && c.kind === 'withdrawn');
    if (withdrawal) withdrawal.restoredAt = now.toISOString();
    return true;
  }

  async changes(query: ChangeQuery): Promise<ItemChange[]> {
    this.check();
    return [...this.changeList]
      .filter((c) => !query.since || Date.parse(c.at) >= Date.parse(query.since))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, query.limit);
  }

  async history(id: string): Promise<ItemChange[]> {
    this.check();
    return this.changeList.filter((c) => c.itemId === id);
  }

  async recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]> {
    this.check();
    return [...this.items.values()]
      .filter((i) => i.sourceIds.includes(sourceId) && (i.withdrawnAt || since === null || i.publishedAt >= since))
      .map((i) => ({ id: i.id, url: i.url, publishedAt: i.publishedAt, withdrawn: Boolean(i.withdrawnAt) }));
  }

  async trim(): Promise<number> {
    this.check();
    return 0;
  }

  async ping(): Promise<void> {
    this.calls.ping++;
    this.check();
  }

  async close(): Promise<void> {}
}
