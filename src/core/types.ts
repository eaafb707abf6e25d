/** Domain types shared by every stage of the pipeline. Stages import these, never each other's internals. */

/** How a field's value was obtained, for `inspect` and `tag --explain`. */
export interface FieldTrace {
  field: string;
  rule: string;
  value: unknown;
}

/** What the extractor makes of one article page. All text is NFC. */
export interface ExtractedArticle {
  /** The URL the page was fetched from (after redirects). */
  url: string;
  /** `<link rel=canonical>` / og:url when it points at the same site, else null. */
  canonicalUrl: string | null;
  title: string;
  /** ISO 8601 instant in UTC, or null when the page carries no usable date. */
  publishedAt: string | null;
  modifiedAt: string | null;
  author: string | null;
  /** Where the text comes from (`Báo Quảng Trị`), distinct from the author. */
  sourceName: string | null;
  /** Plain-text lead/summary. */
  lead: string | null;
  /** Clean, sanitised HTML with absolute URLs; the lead is not repeated as its first paragraph. */
  contentHtml: string;
  /** Plain text of the body, for tagging and fingerprints. */
  text: string;
  /** Lead image, absolute URL. */
  image: string | null;
  /** The page's own section or breadcrumb label, if any. */
  section: string | null;
  /** Keyword tags the page itself carries. */
  keywords: string[];
  trace: FieldTrace[];
}

/** What a listing page yields. */
export interface ListingPage {
  url: string;
  /** Absolute article URLs, in page order, without duplicates. */
  links: string[];
  /** Absolute URL of the next listing page, or null. */
  nextPage: string | null;
}

/** Result of tagging one article. */
export interface TagResult {
  categories: string[];
  places: string[];
  scores: Array<{ slug: string; score: number; matched: string[] }>;
}

/** An article's dedup fingerprint (store/identity.ts computes it from the title and text). */
export interface Fingerprint {
  contentHash: string;
  simhash: string;
  /** MinHash anchor keys (see store/simhash.ts). */
  anchors: string[];
  /** MinHash sketch (see store/simhash.ts). */
  sketch: string;
}

/** An article as handed to the store. */
export interface ItemCandidate extends Pick<
  ExtractedArticle,
  'title' | 'publishedAt' | 'modifiedAt' | 'author' | 'sourceName' | 'lead' | 'contentHtml' | 'text' | 'image' | 'section'
> {
  sourceId: string;
  /** Where it was found; the store canonicalises it. */
  url: string;
  categories: string[];
  places: string[];
  /** fingerprint(title, text), when computed where the page was parsed; the store computes it otherwise. */
  fingerprint?: Fingerprint;
}

/** A stored item: the unit every feed is made of. */
export interface Item {
  /** Fixed at first sight, never changes: the first canonical URL. */
  guid: string;
  /** Fixed at first sight: a UUID derived from the guid; used for Atom ids and store keys. */
  id: string;
  /** Canonical link (of the earliest-published version after near-duplicate merges). */
  url: string;
  /** Other canonical URLs that lead to this item. */
  aliases: string[];
  sourceIds: string[];
  title: string;
  publishedAt: string;
  /** True when the page had no date and `publishedAt` is the first-seen time. */
  dateIsFirstSeen: boolean;
  firstSeenAt: string;
  /** Set when the content changed after first sight. */
  updatedAt: string | null;
  author: string | null;
  sourceName: string | null;
  lead: string | null;
  contentHtml: string;
  text: string;
  image: string | null;
  section: string | null;
  categories: string[];
  places: string[];
  /** sha256 of the normalised text, hex. */
  contentHash: string;
  /** 64-bit SimHash, 16 hex digits. */
  simhash: string;
  /** When the page was withdrawn (a 410, or a 404 on two runs in a row); such an item is in no feed. */
  withdrawnAt?: string | null;
}

export type ChangeKind = 'edited' | 'withdrawn';

/** One recorded change of an item: an edit of its title or text (a revision) or its withdrawal. */
export interface ItemChange {
  /** Stable: `<item id>/<kind>/<epoch ms>`. */
  id: string;
  kind: ChangeKind;
  itemId: string;
  /** The item's guid and link when the change was recorded. */
  guid: string;
  url: string;
  /** ISO instant. */
  at: string;
  /** Before and after; a withdrawal carries the last version in both. NFC text. */
  oldTitle: string;
  newTitle: string;
  oldText: string;
  newText: string;
  /** Withdrawals: the HTTP status that withdrew the item. */
  status?: number;
  /** Withdrawals: when the page answered again, if it did. */
  restoredAt?: string | null;
}

export interface ChangeQuery {
  limit: number;
  /** Only changes at or after this ISO instant. */
  since?: string;
}

/** What a 404 or 410 did: the first 404 only notes the item as missing. */
export type GoneOutcome = 'missing' | 'withdrawn' | 'already-withdrawn' | 'unknown';

/** An item a crawl re-checks. */
export interface RecheckTarget {
  id: string;
  url: string;
  publishedAt: string;
  withdrawn: boolean;
}

export type UpsertStatus = 'new' | 'unchanged' | 'updated' | 'duplicate' | 'merged';

export interface UpsertOutcome {
  status: UpsertStatus;
  item: Item;
  /** How an existing item was matched. */
  matchedBy?: 'url' | 'alias' | 'content' | 'simhash';
  /** Hamming distance for simhash matches. */
  distance?: number;
}

export interface ItemQuery {
  category?: string;
  source?: string;
  limit: number;
}

export interface HttpValidators {
  etag: string | null;
  lastModified: string | null;
}

export interface StoreStats {
  items: number;
  bySource: Record<string, number>;
  byCategory: Record<string, number>;
}

export interface ItemStore {
  readonly kind: 'embedded' | 'redis';
  /**
   * True when the URL (canonicalised) is an item's URL or alias and, given a source, the item already lists that source:
   * an article another source stored first is fetched once more so its upsert adds this source.
   */
  knows(url: string, sourceId?: string): Promise<boolean>;
  upsert(candidate: ItemCandidate, now?: Date): Promise<UpsertOutcome>;
  /** Newest first by publishedAt. */
  latest(query: ItemQuery): Promise<Item[]>;
  get(id: string): Promise<Item | null>;
  stats(): Promise<StoreStats>;
  /** Changes whenever stored items change; cheap to call. */
  version(): Promise<string>;
  /** Validators are kept per URL and, when given, per scope (the source id for listing pages and feeds). */
  getValidators(url: string, scope?: string): Promise<HttpValidators | null>;
  setValidators(url: string, validators: HttpValidators, scope?: string): Promise<void>;
  /** A small JSON document kept by name (a source's discovered sections, links left for the next run); null if none. */
  getState<T = unknown>(name: string): Promise<T | null>;
  /** Stores the document durably; `null` deletes it. */
  setState(name: string, value: unknown): Promise<void>;
  /**
   * A content update (`updated`) whose title or text changed also records a revision (see ItemChange).
   * The following keep track of edits and withdrawals:
   */
  /** An item's page answered 404 or 410: a 410, or a 404 after one in the previous check, withdraws it. */
  markGone(id: string, status: number, now?: Date): Promise<GoneOutcome>;
  /** An item's page answered again (200 or 304): clears a pending 404; a withdrawn item returns to its feeds (true). */
  markPresent(id: string, now?: Date): Promise<boolean>;
  /** Revisions and withdrawals, newest first. */
  changes(query: ChangeQuery): Promise<ItemChange[]>;
  /** One item's revisions and withdrawals, oldest first. */
  history(id: string): Promise<ItemChange[]>;
  /** A source's items published at or after `since` (all when null), withdrawn ones included, newest first. */
  recheckTargets(sourceId: string, since: string | null): Promise<RecheckTarget[]>;
  /** Applies retention; returns how many items were removed. */
  trim(now?: Date): Promise<number>;
  /** Throws StoreError('STORE_UNAVAILABLE') when the backing service does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A lease held on a named resource; only its holder can renew or release it. */
export interface Lease {
  readonly name: string;
  readonly token: string;
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Who holds a lease, for messages and /readyz. */
export interface LeaseHolder {
  host: string;
  pid: number;
  /** Epoch ms. */
  expiresAt: number;
}

export interface LeaseLock {
  acquire(name: string, ttlMs: number): Promise<Lease | null>;
  /** The current holder of `name`, or null when it is free. */
  holder(name: string): Promise<LeaseHolder | null>;
}

/** A category of the taxonomy, as feeds and routes see it. */
export interface CategoryInfo {
  slug: string;
  name: string;
  description: string;
}

/** What the health and readiness routes report per source. */
export interface SourceHealth {
  id: string;
  name: string;
  schedule: string;
  running: boolean;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** No successful crawl within two schedule periods (plus a grace), or none since start. */
  overdue: boolean;
  items: number;
}

/** What /healthz and the metrics show of the crawl queue. */
export interface RunQueueSnapshot {
  concurrency: number;
  running: number;
  queued: number;
  /** How long the longest-waiting run has waited, ms (0 when none waits). */
  oldestWaitMs: number;
  /** Source ids waiting, first in line first. */
  queuedSources: string[];
}
