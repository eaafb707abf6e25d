import { collapseWhitespace } from '../core/text.js';
import type { ChangeKind, GoneOutcome, ItemChange, UpsertOutcome } from '../core/types.js';
import { publicItem, type Decision, type StoredItem } from './decide.js';

/** 404 answers in a row (one per check) that withdraw an item; a 410 withdraws at once. */
export const MISSES_TO_WITHDRAW = 2;

const GONE = 410;

function plain(text: string): string {
  return collapseWhitespace(text.normalize('NFC'));
}

export function changeId(itemId: string, kind: ChangeKind, at: Date): string {
  return `${itemId}/${kind}/${at.getTime()}`;
}

/** The revision an upsert records: an update of the same item whose title or text (not only markup or spacing) changed. */
export function revisionOf(decision: Decision, now: Date): ItemChange | null {
  const { before, after, outcome } = decision;
  if (outcome.status !== 'updated' || !before) return null;
  if (plain(before.title) === plain(after.title) && plain(before.text) === plain(after.text)) return null;
  return {
    id: changeId(after.id, 'edited', now),
    kind: 'edited',
    itemId: after.id,
    guid: after.guid,
    url: after.url,
    at: now.toISOString(),
    oldTitle: before.title,
    newTitle: after.title,
    oldText: before.text,
    newText: after.text,
  };
}

export interface Transition {
  outcome: GoneOutcome;
  /** The item to write, or null when nothing changes. */
  after: StoredItem | null;
  change: ItemChange | null;
}

/** What a 404/410 does to an item: note it missing, or withdraw it (with a withdrawal record). */
export function goneTransition(item: StoredItem, status: number, now: Date): Transition {
  if (item.withdrawnAt) return { outcome: 'already-withdrawn', after: null, change: null };
  const misses = (item.misses ?? 0) + 1;
  if (status !== GONE && misses < MISSES_TO_WITHDRAW) return { outcome: 'missing', after: { ...item, misses }, change: null };
  const at = now.toISOString();
  const change: ItemChange = {
    id: changeId(item.id, 'withdrawn', now),
    kind: 'withdrawn',
    itemId: item.id,
    guid: item.guid,
    url: item.url,
    at,
    oldTitle: item.title,
    newTitle: item.title,
    oldText: item.text,
    newText: item.text,
    status,
    restoredAt: null,
  };
  return { outcome: 'withdrawn', after: { ...item, misses: 0, withdrawnAt: at, withdrawal: change.id }, change };
}

/** The page answered: a pending miss is forgotten; a withdrawn item comes back and its withdrawal notes when. */
export function presentTransition(
  item: StoredItem,
  withdrawal: ItemChange | null,
  now: Date,
): { after: StoredItem | null; change: ItemChange | null } {
  if (!item.withdrawnAt) return { after: item.misses ? { ...item, misses: 0 } : null, change: null };
  const { withdrawnAt: _at, withdrawal: _id, ...rest } = item;
  const after: StoredItem = { ...rest, misses: 0, withdrawnAt: null };
  return { after, change: withdrawal ? { ...withdrawal, restoredAt: now.toISOString() } : null };
}

/** Newest first; equal times by id descending. */
export function compareChanges(a: ItemChange, b: ItemChange): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * What an upsert writes besides the decided item: the revision of an edit, and the item's return to
 * its feeds when its own page (url or alias) answers again after a 404 or a withdrawal.
 */
export function settleUpsert(
  decision: Decision,
  now: Date,
  withdrawal: ItemChange | null,
): { outcome: UpsertOutcome; after: StoredItem; changed: boolean; changes: ItemChange[] } {
  const changes: ItemChange[] = [];
  const revision = revisionOf(decision, now);
  if (revision) changes.push(revision);
  let { after, changed } = decision;
  const ownPage = decision.outcome.matchedBy === 'url' || decision.outcome.matchedBy === 'alias';
  if (ownPage && (after.withdrawnAt || after.misses)) {
    const back = presentTransition(after, withdrawal, now);
    if (back.after) {
      after = back.after;
      changed = true;
    }
    if (back.change) changes.push(back.change);
  }
  const outcome = after === decision.after ? decision.outcome : { ...decision.outcome, item: publicItem(after) };
  return { outcome, after, changed, changes };
}
