import type { Logger } from '../core/log.js';
import type { Item, ItemCandidate, UpsertOutcome } from '../core/types.js';
import { canonicalUrl, identityKey } from './canonical.js';
import { fingerprint, itemGuidFor, type Fingerprint } from './identity.js';
import { blockKeys, resemblance, sharedSlots, shingleSet, simhashDistance, textFingerprint } from './simhash.js';

/** What the store keeps per item: the item plus every content hash seen for it (so a re-crawl of a merged version is 'unchanged'). */
export interface StoredItem extends Item {
  hashes: string[];
  /** MinHash anchor keys of the current content. */
  anchors: string[];
  /** MinHash sketch of the current content; absent on items stored before sketches existed. */
  sketch?: string;
  /** 404 answers in a row since the page was last seen. */
  misses?: number;
  /** Id of the withdrawal record while the item is withdrawn. */
  withdrawal?: string;
}

/**
 * What the near-duplicate decision needs of a candidate before (and mostly instead of) loading it. An
 * item stored before sketches existed has none and always gets the exact resemblance check.
 */
export type Signature = Pick<StoredItem, 'simhash' | 'sketch' | 'publishedAt'>;

export function signatureOf(item: Signature): Signature {
  return { simhash: item.simhash, sketch: item.sketch, publishedAt: item.publishedAt };
}

/** Near copies by resemblance: Jaccard of word 3-shingles at least this (see README.md, "Dedup"). */
export const NEAR_DUPLICATE_RESEMBLANCE = 0.75;
/** A fingerprint key shared by more items than this is boilerplate, not evidence; it is skipped to keep lookups flat. */
export const MAX_IDS_PER_FINGERPRINT = 64;
/**
 * Sketch slots (of 32) a candidate must share before its exact resemblance is computed: a pair with
 * J ≥ 0.75 shares fewer than 11 with probability 2·10⁻⁷ (binomial tail), while chance anchor
 * collisions (J near 0) share one or two.
 */
const MIN_SHARED_SLOTS = 11;

const MAX_HASHES = 32;

/** The lookups the decision needs; the Redis reader WATCHes every key it reads. */
export interface DecisionReader {
  idForKey(key: string): Promise<string | null>;
  idForHash(hash: string): Promise<string | null>;
  /** Ids indexed under any of the fingerprint keys, skipping keys with more than `maxPerKey` ids. */
  idsForFingerprints(keys: string[], maxPerKey: number): Promise<string[]>;
  /** Signatures of the given items, in order; null where an item does not exist. */
  signatures(ids: string[]): Promise<Array<Signature | null>>;
  load(id: string): Promise<StoredItem | null>;
}

export interface Decision {
  outcome: UpsertOutcome;
  before: StoredItem | null;
  after: StoredItem;
  /** False when nothing stored changes. */
  changed: boolean;
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const value of b) if (!out.includes(value)) out.push(value);
  return out;
}

function publicItem(item: StoredItem): Item {
  const { hashes: _hashes, anchors: _anchors, sketch: _sketch, misses: _misses, withdrawal: _withdrawal, ...rest } = item;
  return { ...rest, aliases: [...rest.aliases], sourceIds: [...rest.sourceIds], categories: [...rest.categories], places: [...rest.places] };
}

function withAlias(item: StoredItem, url: string): string[] {
  const key = identityKey(url);
  if (identityKey(item.url) === key || item.aliases.some((a) => identityKey(a) === key)) return item.aliases;
  return [...item.aliases, url];
}

function withHash(hashes: string[], hash: string): string[] {
  return hashes.includes(hash) ? hashes : [...hashes, hash].slice(-MAX_HASHES);
}

function unionTags(item: StoredItem, c: ItemCandidate): StoredItem {
  return {
    ...item,
    sourceIds: union(item.sourceIds, [c.sourceId]),
    categories: union(item.categories, c.categories),
    places: union(item.places, c.places),
  };
}

function contentOf(c: ItemCandidate, fp: Fingerprint) {
  return {
    title: c.title,
    author: c.author,
    sourceName: c.sourceName,
    lead: c.lead,
    contentHtml: c.contentHtml,
    text: c.text,
    image: c.image,
    section: c.section,
    contentHash: fp.contentHash,
    simhash: fp.simhash,
    anchors: fp.anchors,
    sketch: fp.sketch,
  };
}

function sameTags(a: StoredItem, b: StoredItem): boolean {
  return (
    a.sourceIds.length === b.sourceIds.length &&
    a.categories.length === b.categories.length &&
    a.places.length === b.places.length &&
    a.aliases.length === b.aliases.length
  );
}

function newItem(c: ItemCandidate, canonical: string, fp: Fingerprint, now: Date): StoredItem {
  const { guid, id } = itemGuidFor(canonical);
  return {
    guid,
    id,
    url: canonical,
    aliases: [],
    sourceIds: [c.sourceId],
    ...contentOf(c, fp),
    publishedAt: c.publishedAt ?? now.toISOString(),
    dateIsFirstSeen: c.publishedAt === null,
    firstSeenAt: now.toISOString(),
    updatedAt: null,
    categories: [...new Set(c.categories)],
    places: [...new Set(c.places)],
    hashes: [fp.contentHash],
  };
}

/** Same URL, content changed: new content, same identity; a real date replaces a first-seen one. */
function updated(item: StoredItem, c: ItemCandidate, fp: Fingerprint, now: Date): StoredItem {
  const takeDate = item.dateIsFirstSeen && c.publishedAt !== null;
  return {
    ...unionTags(item, c),
    ...contentOf(c, fp),
    hashes: withHash(item.hashes, fp.contentHash),
    updatedAt: now.toISOString(),
    publishedAt: takeDate ? (c.publishedAt as string) : item.publishedAt,
    dateIsFirstSeen: takeDate ? false : item.dateIsFirstSeen,
  };
}

/** Near duplicate: the earliest-published version gives title, link, date and content; the other URL becomes an alias. */
function merged(item: StoredItem, c: ItemCandidate, canonical: string, fp: Fingerprint, now: Date): StoredItem {
  const base = { ...unionTags(item, c), hashes: withHash(item.hashes, fp.contentHash) };
  const candidateEarlier = c.publishedAt !== null && (item.dateIsFirstSeen || Date.parse(c.publishedAt) < Date.parse(item.publishedAt));
  if (!candidateEarlier) return { ...base, aliases: withAlias(item, canonical) };
  const aliases = union(
    item.aliases.filter((a) => identityKey(a) !== identityKey(canonical)),
    [item.url],
  );
  return {
    ...base,
    ...contentOf(c, fp),
    url: canonical,
    aliases,
    publishedAt: c.publishedAt as string,
    dateIsFirstSeen: false,
    updatedAt: now.toISOString(),
  };
}

interface Near {
  item: StoredItem;
  distance: number;
  resemblance: number;
}

function better(a: Near, b: Near | null): boolean {
  if (!b) return true;
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.resemblance !== b.resemblance) return a.resemblance > b.resemblance;
  return a.item.publishedAt < b.item.publishedAt;
}

interface Candidate {
  id: string;
  distance: number;
}

/** Loads the first candidate that still exists; the list is ordered best first. */
async function firstLoaded(reader: DecisionReader, list: Candidate[]): Promise<Near | null> {
  for (const { id, distance } of list) {
    const item = await reader.load(id);
    if (item) return { item, distance, resemblance: 1 };
  }
  return null;
}

/** The nearest candidates with resemblance ≥ NEAR_DUPLICATE_RESEMBLANCE; farther ones cannot beat them. */
async function mostResembling(reader: DecisionReader, c: ItemCandidate, list: Candidate[]): Promise<Near | null> {
  let shingles: Set<string> | null = null;
  let best: Near | null = null;
  for (const { id, distance } of list) {
    if (best && distance > best.distance) break;
    const item = await reader.load(id);
    if (!item) continue;
    shingles ??= shingleSet(`${c.title}\n${c.text}`);
    const similar = resemblance(shingles, shingleSet(`${item.title}\n${item.text}`));
    if (similar < NEAR_DUPLICATE_RESEMBLANCE) continue;
    const near = { item, distance, resemblance: similar };
    if (better(near, best)) best = near;
  }
  return best;
}

function mayResemble(sketch: string, stored: string | undefined): boolean {
  const shared = typeof stored === 'string' ? sharedSlots(sketch, stored) : -1;
  return shared < 0 || shared >= MIN_SHARED_SLOTS;
}

/**
 * Candidates come from the SimHash block keys (every item within distance 3) and the MinHash anchors
 * (near copies whose SimHash drifted further). They are judged on their signatures: within distance
 * the nearest (then earliest) wins; else anchor candidates whose sketch allows resemblance ≥ 0.75 get
 * the exact check, nearest first. Chance block-key and anchor collisions grow with the store, so none of
 * them may cost more than a signature; only the winner and the few sketch-plausible ones are loaded.
 */
async function nearest(reader: DecisionReader, c: ItemCandidate, fp: Fingerprint, maxDistance: number): Promise<Near | null> {
  if (maxDistance < 0) return null;
  const [bandIds, anchorIds] = await Promise.all([
    reader.idsForFingerprints(blockKeys(fp.simhash), MAX_IDS_PER_FINGERPRINT),
    reader.idsForFingerprints(fp.anchors, MAX_IDS_PER_FINGERPRINT),
  ]);
  const anchored = new Set(anchorIds);
  const ids = [...new Set([...bandIds, ...anchorIds])];
  const signatures = ids.length ? await reader.signatures(ids) : [];
  const close: Array<Candidate & { publishedAt: string }> = [];
  const far: Candidate[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    const signature = signatures[i];
    if (!signature) continue;
    const distance = simhashDistance(fp.simhash, signature.simhash);
    if (distance <= maxDistance) close.push({ id, distance, publishedAt: signature.publishedAt });
    else if (maxDistance > 0 && anchored.has(id) && mayResemble(fp.sketch, signature.sketch)) far.push({ id, distance });
  }
  close.sort((a, b) => a.distance - b.distance || (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
  return (
    (await firstLoaded(reader, close)) ??
    mostResembling(
      reader,
      c,
      far.sort((a, b) => a.distance - b.distance),
    )
  );
}

/** Decides what an upsert does, in the documented order: url/alias, exact content, near duplicate, new. */
export async function decide(c: ItemCandidate, now: Date, reader: DecisionReader, maxDistance: number, logger: Logger): Promise<Decision> {
  const canonical = canonicalUrl(c.url);
  const key = identityKey(canonical);
  const fp = c.fingerprint ?? fingerprint(c.title, c.text);
  const knownId = await reader.idForKey(key);
  const known = knownId ? await reader.load(knownId) : null;
  if (known) {
    const matchedBy = identityKey(known.url) === key ? 'url' : 'alias';
    // At its own URL the page is compared with the current version (an edit undone is an edit); an alias may be any merged version.
    if (matchedBy === 'url' ? known.contentHash === fp.contentHash : known.hashes.includes(fp.contentHash)) {
      const after = unionTags(known, c);
      return { outcome: { status: 'unchanged', item: publicItem(after), matchedBy }, before: known, after, changed: !sameTags(known, after) };
    }
    const after = updated(known, c, fp, now);
    logger.info({ id: known.id, url: canonical }, 'store: content updated');
    return { outcome: { status: 'updated', item: publicItem(after), matchedBy }, before: known, after, changed: true };
  }
  const dupId = await reader.idForHash(fp.contentHash);
  const dup = dupId ? await reader.load(dupId) : null;
  if (dup) {
    const after = { ...unionTags(dup, c), aliases: withAlias(dup, canonical) };
    logger.debug({ id: dup.id, url: canonical }, 'store: exact duplicate');
    return { outcome: { status: 'duplicate', item: publicItem(after), matchedBy: 'content' }, before: dup, after, changed: true };
  }
  const near = await nearest(reader, c, fp, maxDistance);
  if (near) {
    const after = merged(near.item, c, canonical, fp, now);
    logger.info(
      { id: near.item.id, url: canonical, into: near.item.url, distance: near.distance },
      `store: near duplicate merged (distance ${near.distance})`,
    );
    return {
      outcome: { status: 'merged', item: publicItem(after), matchedBy: 'simhash', distance: near.distance },
      before: near.item,
      after,
      changed: true,
    };
  }
  const after = newItem(c, canonical, fp, now);
  logger.debug({ id: after.id, url: canonical }, 'store: new item');
  return { outcome: { status: 'new', item: publicItem(after) }, before: null, after, changed: true };
}

export { publicItem };

/** Index entries of an item; both backends apply the difference between two of these. */
export interface IndexEntries {
  keys: string[];
  hashes: string[];
  /** SimHash block keys and MinHash anchor keys. */
  fingerprints: string[];
  sets: string[];
  score: number;
}

type Indexed = Pick<StoredItem, 'url' | 'aliases' | 'hashes' | 'simhash' | 'anchors' | 'categories' | 'sourceIds' | 'publishedAt' | 'withdrawnAt'>;

/** What the upsert decision looks items up by. */
export function lookupEntries(item: Indexed): Pick<IndexEntries, 'keys' | 'hashes' | 'fingerprints'> {
  return {
    keys: [...new Set([item.url, ...item.aliases].map((u) => identityKey(u)))],
    hashes: [...item.hashes],
    fingerprints: [...blockKeys(item.simhash), ...item.anchors],
  };
}

/** Which feeds list the item, and where; a withdrawn item is only in its sources' `gone:` sets (for re-checks). */
export function feedEntries(item: Indexed): Pick<IndexEntries, 'sets' | 'score'> {
  if (item.withdrawnAt) return { sets: item.sourceIds.map((s) => `gone:${s}`), score: Date.parse(item.publishedAt) };
  return {
    sets: ['all', ...item.categories.map((c) => `cat:${c}`), ...item.sourceIds.map((s) => `src:${s}`)],
    score: Date.parse(item.publishedAt),
  };
}

export function indexEntries(item: Indexed): IndexEntries {
  return { ...lookupEntries(item), ...feedEntries(item) };
}

/**
 * Layout of the fingerprint index: 1 = four 16-bit bands `b{i}:` and one-minimum anchors `a{i}:`;
 * 2 = ten permuted-block keys `p{k}:` and eight two-minimum anchors `m{i}:`. A store of an older layout is
 * re-indexed once when opened (see `reindexed`).
 */
export const INDEX_VERSION = 2;

/** The item with anchors of the current layout, recomputed from its text (the SimHash is kept: it is the same). */
export function reindexed(item: StoredItem): StoredItem {
  return { ...item, anchors: textFingerprint(`${item.title}\n${item.text}`).anchors };
}

/** Fingerprint keys an item has under layout 1, for removing them from a store indexed that way. */
export function layout1Fingerprints(item: Pick<StoredItem, 'simhash' | 'anchors'>): string[] {
  const bands = [0, 1, 2, 3].map((i) => `b${i}:${item.simhash.slice(i * 4, i * 4 + 4)}`);
  return [...bands, ...(item.anchors ?? [])];
}

/** Newest first; equal dates ordered by id descending (what Redis ZREVRANGE does with equal scores). */
export function compareNewest(a: { score: number; id: string }, b: { score: number; id: string }): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
