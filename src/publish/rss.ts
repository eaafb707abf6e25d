import type { Item } from '../core/types.js';
import { categoryName, categoryScheme, feedUpdated, feedUrl, itemAuthor, itemPublished, type FeedContext } from './context.js';
import { articleHtml, guessImageType, summarize } from './summary.js';
import { cdata, el, empty, rfc822, wrap } from './xml.js';

const NAMESPACES = {
  version: '2.0',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
};

export const XML_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>\n';

function rssItem(item: Item, ctx: FeedContext): string {
  const sourceFeed = feedUrl({ publicUrl: ctx.publicUrl, path: item.sourceIds[0] ? `/source/${item.sourceIds[0]}` : ctx.path }, 'rss');
  const parts = [
    el('title', item.title),
    el('link', item.url),
    el('guid', item.guid, { isPermaLink: item.guid === item.url ? 'true' : 'false' }),
    el('pubDate', rfc822(itemPublished(item))),
    el('description', summarize(item)),
    `<content:encoded>${cdata(articleHtml(item))}</content:encoded>`,
    el('dc:creator', itemAuthor(item, ctx)),
    ...item.categories.map((slug) => el('category', categoryName(ctx, slug), { domain: categoryScheme(ctx.publicUrl) })),
    item.image ? empty('enclosure', { url: item.image, type: guessImageType(item.image), length: '0' }) : '',
    el('source', item.sourceName, { url: sourceFeed }),
  ];
  return wrap('item', parts.join(''));
}

/** RSS 2.0 with content:encoded, dc:creator and atom:link self (and hub when WebSub is on). */
export function renderRss(items: Item[], ctx: FeedContext): string {
  const updated = feedUpdated(items, ctx);
  const channel = [
    el('title', ctx.title),
    el('link', ctx.siteUrl),
    el('description', ctx.description || ctx.title),
    el('language', ctx.language),
    el('lastBuildDate', rfc822(updated)),
    el('generator', ctx.generator),
    el('ttl', String(ctx.ttlMinutes ?? 15)),
    empty('atom:link', { href: feedUrl(ctx, 'rss'), rel: 'self', type: 'application/rss+xml' }),
    ctx.hub ? empty('atom:link', { href: ctx.hub, rel: 'hub' }) : '',
    ...items.map((item) => rssItem(item, ctx)),
  ];
  return `${XML_PROLOG}${wrap('rss', wrap('channel', channel.join('\n')), NAMESPACES)}\n`;
}
