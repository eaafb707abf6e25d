import type { Item } from '../core/types.js';
import { categoryName, categoryScheme, feedUpdated, feedUrl, itemAuthor, itemPublished, itemUpdated, type FeedContext } from './context.js';
import { articleHtml, guessImageType, summarize } from './summary.js';
import { el, empty, rfc3339, wrap, XML_PROLOG } from './xml.js';

/** Stable, URL-independent feed id: moving the service does not make readers see a new feed. */
export function atomFeedId(ctx: Pick<FeedContext, 'kind' | 'key'>): string {
  return ctx.kind === 'all' ? 'urn:portalfeed:feed:all' : `urn:portalfeed:feed:${ctx.kind}:${ctx.key ?? ''}`;
}

function atomEntry(item: Item, ctx: FeedContext): string {
  const parts = [
    el('id', `urn:uuid:${item.id}`),
    el('title', item.title, { type: 'text' }),
    el('updated', rfc3339(itemUpdated(item))),
    el('published', rfc3339(itemPublished(item))),
    wrap('author', el('name', itemAuthor(item, ctx))),
    empty('link', { rel: 'alternate', type: 'text/html', href: item.url }),
    item.image ? empty('link', { rel: 'enclosure', type: guessImageType(item.image), href: item.image }) : '',
    ...item.categories.map((slug) => empty('category', { term: slug, label: categoryName(ctx, slug), scheme: categoryScheme(ctx.publicUrl) })),
    el('summary', summarize(item), { type: 'text' }),
    el('content', articleHtml(item), { type: 'html' }),
    item.sourceName ? wrap('source', el('title', item.sourceName, { type: 'text' })) : '',
  ];
  return wrap('entry', parts.join(''));
}

/** Atom 1.0: text titles (never HTML), HTML content escaped, urn ids. */
export function renderAtom(items: Item[], ctx: FeedContext): string {
  const head = [
    el('id', atomFeedId(ctx)),
    el('title', ctx.title, { type: 'text' }),
    ctx.description ? el('subtitle', ctx.description, { type: 'text' }) : '',
    el('updated', rfc3339(feedUpdated(items, ctx))),
    empty('link', { rel: 'self', type: 'application/atom+xml', href: feedUrl(ctx, 'atom') }),
    empty('link', { rel: 'alternate', type: 'text/html', href: ctx.siteUrl }),
    ctx.hub ? empty('link', { rel: 'hub', href: ctx.hub }) : '',
    wrap('author', el('name', ctx.title) + el('uri', ctx.publicUrl)),
    el('generator', ctx.generator),
    ...items.map((item) => atomEntry(item, ctx)),
  ];
  const attrs = { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': ctx.language };
  return `${XML_PROLOG}${wrap('feed', head.filter(Boolean).join('\n'), attrs)}\n`;
}
