import { stripInvalidXmlChars } from '../core/text.js';
import type { ItemChange } from '../core/types.js';
import { textDiffHtml, titleDiffHtml } from './diff.js';
import { localTime } from './filter.js';
import { cdata, el, empty, escapeXml, rfc3339, rfc822, wrap, XML_PROLOG } from './xml.js';

/** What the /changes feeds are about. */
export interface ChangesContext {
  title: string;
  description: string;
  language: string;
  /** Service base URL without trailing slash. */
  publicUrl: string;
  /** The feed's own query string (`?q=…`), '' when unfiltered. */
  query: string;
  generator: string;
  ttlMinutes: number;
  /** Channel date of an empty feed. */
  emptyDate: Date;
}

export const CHANGES_FILES = { rss: 'changes.xml', json: 'changes.json' } as const;
export type ChangesFormat = keyof typeof CHANGES_FILES;

export const CHANGES_CONTENT_TYPES: Record<ChangesFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** The category terms; readers filter on them. */
export const CHANGE_TERMS: Record<ItemChange['kind'], { term: string; label: string }> = {
  edited: { term: 'edited', label: 'Đã sửa' },
  withdrawn: { term: 'withdrawn', label: 'Đã gỡ' },
};

const clean = (value: string) => stripInvalidXmlChars(value.normalize('NFC'));

export function changesUrl(ctx: Pick<ChangesContext, 'publicUrl' | 'query'>, format: ChangesFormat): string {
  return `${ctx.publicUrl}/${CHANGES_FILES[format]}${ctx.query}`;
}

/** Stable per change and never an article's own guid. */
export function changeGuid(change: ItemChange): string {
  return `${change.guid}#${change.kind}-${Date.parse(change.at)}`;
}

export function changeTitle(change: ItemChange): string {
  return `${CHANGE_TERMS[change.kind].label}: ${change.newTitle}`;
}

export function changeSummary(change: ItemChange): string {
  const when = localTime(Date.parse(change.at));
  if (change.kind === 'withdrawn') {
    const back = change.restoredAt ? `; trang đã trở lại lúc ${localTime(Date.parse(change.restoredAt))}` : '';
    return `Bài viết bị gỡ khỏi cổng lúc ${when} (HTTP ${change.status ?? 404})${back}.`;
  }
  const what = [change.oldTitle !== change.newTitle ? 'tiêu đề' : '', change.oldText !== change.newText ? 'nội dung' : '']
    .filter(Boolean)
    .join(' và ');
  return `Bài viết được sửa ${what || 'nội dung'} lúc ${when}.`;
}

/** The entry body: what happened, and for an edit the word diff of the title and of the changed paragraphs. */
export function changeHtml(change: ItemChange): string {
  const link = `<a href="${escapeXml(change.url)}">${escapeXml(change.newTitle)}</a>`;
  const parts = [`<p>${escapeXml(changeSummary(change))} ${link}</p>`];
  if (change.kind === 'edited') {
    if (change.oldTitle !== change.newTitle) parts.push('<h3>Tiêu đề</h3>', `<p>${titleDiffHtml(change.oldTitle, change.newTitle)}</p>`);
    const text = textDiffHtml(change.oldText, change.newText);
    if (text) parts.push('<h3>Nội dung</h3>', text);
  }
  return parts.join('\n');
}

function newest(changes: ItemChange[], ctx: ChangesContext): Date {
  let latest = 0;
  for (const c of changes) latest = Math.max(latest, Date.parse(c.at) || 0, c.restoredAt ? Date.parse(c.restoredAt) || 0 : 0);
  return latest ? new Date(latest) : ctx.emptyDate;
}

/** RSS 2.0 with content:encoded; each entry links its article and carries the `edited` or `withdrawn` category. */
export function renderChangesRss(changes: ItemChange[], ctx: ChangesContext): string {
  const domain = `${ctx.publicUrl}/${CHANGES_FILES.rss}`;
  const items = changes.map((change) =>
    wrap(
      'item',
      [
        el('title', changeTitle(change)),
        el('link', change.url),
        el('guid', changeGuid(change), { isPermaLink: 'false' }),
        el('pubDate', rfc822(new Date(change.at))),
        el('description', changeSummary(change)),
        `<content:encoded>${cdata(changeHtml(change))}</content:encoded>`,
        el('category', CHANGE_TERMS[change.kind].term, { domain }),
      ].join(''),
    ),
  );
  const channel = [
    el('title', ctx.title),
    el('link', `${ctx.publicUrl}/`),
    el('description', ctx.description),
    el('language', ctx.language),
    el('lastBuildDate', rfc822(newest(changes, ctx))),
    el('generator', ctx.generator),
    el('ttl', String(ctx.ttlMinutes)),
    empty('atom:link', { href: changesUrl(ctx, 'rss'), rel: 'self', type: 'application/rss+xml' }),
    ...items,
  ];
  const namespaces = { version: '2.0', 'xmlns:content': 'http://purl.org/rss/1.0/modules/content/', 'xmlns:atom': 'http://www.w3.org/2005/Atom' };
  return `${XML_PROLOG}${wrap('rss', wrap('channel', channel.join('\n')), namespaces)}\n`;
}

/** JSON Feed 1.1; the kind is a tag, and `_portalfeed` says which item changed and how. */
export function renderChangesJson(changes: ItemChange[], ctx: ChangesContext): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(ctx.title),
    home_page_url: `${ctx.publicUrl}/`,
    feed_url: changesUrl(ctx, 'json'),
    description: clean(ctx.description),
    language: ctx.language,
    items: changes.map((change) => ({
      id: changeGuid(change),
      url: change.url,
      title: clean(changeTitle(change)),
      content_html: clean(changeHtml(change)),
      summary: changeSummary(change),
      date_published: rfc3339(new Date(change.at)),
      ...(change.restoredAt ? { date_modified: rfc3339(new Date(change.restoredAt)) } : {}),
      tags: [CHANGE_TERMS[change.kind].term],
      language: ctx.language,
      _portalfeed: {
        kind: change.kind,
        item_id: change.itemId,
        guid: change.guid,
        ...(change.kind === 'withdrawn' ? { status: change.status ?? null, restored_at: change.restoredAt ?? null } : {}),
      },
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
