import { Feed, type Extension } from 'feed';
import type { Item } from '../core/types.js';
import { stripInvalidXmlChars } from '../core/text.js';
import { categoryName, categoryScheme, feedUpdated, feedUrl, itemAuthor, itemPublished, itemUpdated, type FeedContext } from './context.js';
import { articleHtml, guessImageType, summarize } from './summary.js';
import { escapeXml, rfc3339, rfc822, STYLESHEET } from './xml.js';

export { XML_PROLOG } from './xml.js';

/** NFC, without the characters XML 1.0 cannot carry. */
const clean = (value: string): string => stripInvalidXmlChars(value.normalize('NFC'));

/**
 * Where feed@6's XML writer (xml-js) needs help, in one place. Its text writer turns a literal `&amp;`
 * back into `&` before escaping, so that sequence is doubled here first; its CDATA writer splits only
 * the first `]]>`, so every later one is split here (a title with two would end the section early).
 * Attribute values it escapes only for `"`.
 */
export const forXmlJs = {
  text: (value: string): string => clean(value).replace(/&amp;/g, '&amp;amp;'),
  cdata: (value: string): string => {
    let seen = false;
    return clean(value).replace(/]]>/g, (match) => (seen ? ']]]]><![CDATA[>' : ((seen = true), match)));
  },
  attribute: (value: string): string => escapeXml(value),
};

/**
 * A Date whose `toUTCString` writes `+0000` for `GMT`: feed@6 formats RSS dates with `toUTCString`, and
 * the numeric zone keeps the bytes (hence the ETags) readers have cached.
 */
class Rfc822Date extends Date {
  override toUTCString(): string {
    return rfc822(new Date(this.getTime()));
  }
}

function isWhatwgHref(url: string): boolean {
  return URL.canParse(url) && new URL(url).href === url;
}

/** What feed@6 has no field for: dc:creator (it writes a name into RSS `author`, meant for an e-mail) and `source`. */
function itemExtensions(item: Item, ctx: FeedContext): Extension[] {
  const sourceFeed = feedUrl({ publicUrl: ctx.publicUrl, path: item.sourceIds[0] ? `/source/${item.sourceIds[0]}` : ctx.path }, 'rss');
  const extensions: Extension[] = [{ name: 'dc:creator', objects: { _text: forXmlJs.text(itemAuthor(item, ctx)) } }];
  // RSS 2.0 has no element for it: an edited article says when with atom:updated (the atom namespace is declared).
  if (item.updatedAt) extensions.push({ name: 'atom:updated', objects: { _text: rfc3339(itemUpdated(item)) } });
  if (item.sourceName) {
    extensions.push({ name: 'source', objects: { _attributes: { url: forXmlJs.attribute(sourceFeed) }, _text: forXmlJs.text(item.sourceName) } });
  }
  return extensions;
}

/** RSS 2.0 with content:encoded, dc:creator and atom:link self (and hub when WebSub is on), written by feed@6. */
export function renderRss(items: Item[], ctx: FeedContext): string {
  const feed = new Feed({
    title: forXmlJs.text(ctx.title),
    link: ctx.siteUrl,
    description: forXmlJs.text(ctx.description || ctx.title),
    language: ctx.language,
    updated: new Rfc822Date(feedUpdated(items, ctx).getTime()),
    generator: forXmlJs.text(ctx.generator),
    ttl: ctx.ttlMinutes ?? 15,
    stylesheet: STYLESHEET,
    feedLinks: { rss: feedUrl(ctx, 'rss') },
    ...(ctx.hub ? { hub: ctx.hub } : {}),
  });
  for (const item of items) {
    const published = new Rfc822Date(itemPublished(item).getTime());
    // feed@6 declares the dc namespace only when an item has content: an empty body is shown by its summary.
    const content = articleHtml(item) || `<p>${escapeXml(summarize(item))}</p>`;
    feed.addItem({
      title: forXmlJs.cdata(item.title),
      link: item.url,
      // No guid when it is the URL as feed@6 writes it: the link becomes a permalink guid. Else ours, unchanged.
      ...(item.guid === item.url && isWhatwgHref(item.url) ? {} : { guid: forXmlJs.text(item.guid) }),
      date: published,
      description: forXmlJs.cdata(summarize(item)),
      content: forXmlJs.cdata(content),
      category: item.categories.map((slug) => ({
        name: forXmlJs.text(categoryName(ctx, slug)),
        domain: forXmlJs.attribute(categoryScheme(ctx.publicUrl)),
      })),
      ...(item.image ? { enclosure: { url: item.image, type: guessImageType(item.image), length: 0 } } : {}),
      extensions: itemExtensions(item, ctx),
    });
  }
  return `${feed.rss2()}\n`;
}
