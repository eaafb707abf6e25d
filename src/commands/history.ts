import { createApp } from '../app.js';
import { PortalfeedError } from '../core/errors.js';
import type { Item, ItemChange, ItemStore } from '../core/types.js';
import { changeSummary } from '../publish/changes.js';
import { wordDiff, type DiffOp } from '../publish/diff.js';
import { localTime } from '../publish/filter.js';
import { canonicalUrl, identityKey, itemGuidFor } from '../store/index.js';
import { commandLogger, loadCommandConfig } from './common.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The item a URL (its first URL, or its current link) or an id names. */
export async function findItem(store: ItemStore, target: string, sourceIds: string[]): Promise<Item | null> {
  if (UUID.test(target)) return store.get(target.toLowerCase());
  if (!/^https?:\/\//i.test(target)) throw new PortalfeedError('USAGE', `${target} is neither an article URL nor an item id`);
  const byGuid = await store.get(itemGuidFor(canonicalUrl(target)).id);
  if (byGuid) return byGuid;
  const key = identityKey(target);
  for (const source of sourceIds) {
    const found = (await store.recheckTargets(source, null)).find((t) => identityKey(t.url) === key);
    if (found) return store.get(found.id);
  }
  return null;
}

/** `[-old-]{+new+}`, as `git diff --word-diff` writes it; unchanged paragraphs are left out. */
export function plainDiff(ops: DiffOp[]): string {
  const marked = ops.map((o) => (o.op === 'eq' ? o.text : o.op === 'del' ? `[-${o.text}-]` : `{+${o.text}+}`)).join('');
  const paragraphs = marked.split(/\n\s*\n/).filter((p) => /\[-|\{\+/.test(p));
  return paragraphs.map((p) => `    ${p.trim()}`).join('\n    …\n');
}

export function formatHistory(item: Item, changes: ItemChange[]): string {
  const lines = [item.title, `  ${item.url}`, `  id ${item.id}  guid ${item.guid}`];
  if (item.withdrawnAt) lines.push(`  withdrawn since ${localTime(Date.parse(item.withdrawnAt))}`);
  if (changes.length === 0) lines.push('', 'No revisions or withdrawals recorded.');
  for (const change of changes) {
    lines.push('', `${localTime(Date.parse(change.at))}  ${change.kind}: ${changeSummary(change)}`);
    if (change.kind !== 'edited') continue;
    if (change.oldTitle !== change.newTitle) lines.push('  title:', plainDiff(wordDiff(change.oldTitle, change.newTitle)));
    const text = plainDiff(wordDiff(change.oldText, change.newText));
    if (text) lines.push('  text:', text);
  }
  return `${lines.join('\n')}\n`;
}

export async function runHistory(target: string, opts: { config?: string; json?: boolean }): Promise<void> {
  const config = loadCommandConfig(opts.config);
  const app = await createApp(config, commandLogger(config));
  try {
    const item = await findItem(
      app.store,
      target,
      config.sources.map((s) => s.id),
    );
    if (!item) throw new PortalfeedError('USAGE', `no stored item for ${target}`);
    const changes = await app.store.history(item.id);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ id: item.id, guid: item.guid, url: item.url, title: item.title, withdrawnAt: item.withdrawnAt ?? null, changes }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(formatHistory(item, changes));
    }
  } finally {
    await app.close();
  }
}
