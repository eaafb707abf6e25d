import type { Item } from '../core/types.js';
import { stripInvalidXmlChars } from '../core/text.js';
import { categoryName, feedUrl, itemAuthor, itemPublished, itemUpdated, type FeedContext } from './context.js';
import { articleHtml, summarize } from './summary.js';
import { rfc3339 } from './xml.js';

function clean(value: string): string {
  return stripInvalidXmlChars(value.normalize('NFC'));
}

/** Tags are category display names (what readers show), not slugs. */
function jsonItem(item: Item, ctx: FeedContext): Record<string, unknown> {
  return {
    id: item.guid,
    url: item.url,
    title: clean(item.title),
    content_html: clean(articleHtml(item)),
    summary: summarize(item),
    ...(item.image ? { image: item.image } : {}),
    date_published: rfc3339(itemPublished(item)),
    date_modified: rfc3339(itemUpdated(item)),
    authors: [{ name: clean(itemAuthor(item, ctx)) }],
    ...(item.categories.length ? { tags: item.categories.map((slug) => categoryName(ctx, slug)) } : {}),
    language: ctx.language,
  };
}

/** JSON Feed 1.1. */
export function renderJsonFeed(items: Item[], ctx: FeedContext): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(ctx.title),
    home_page_url: ctx.siteUrl,
    feed_url: feedUrl(ctx, 'json'),
    description: clean(ctx.description || ctx.title),
    language: ctx.language,
    authors: [{ name: clean(ctx.title), url: ctx.publicUrl }],
    ...(ctx.hub ? { hubs: [{ type: 'WebSub', url: ctx.hub }] } : {}),
    items: items.map((item) => jsonItem(item, ctx)),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
