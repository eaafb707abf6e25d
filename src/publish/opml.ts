import { el, empty, rfc822, wrap } from './xml.js';

export interface OpmlFeed {
  title: string;
  xmlUrl: string;
  htmlUrl: string;
}

/** OPML 2.0 subscription list, one `rss` outline per feed. */
export function renderOpml(feeds: OpmlFeed[], title: string, date?: Date): string {
  const outlines = feeds.map((feed) =>
    empty('outline', { type: 'rss', text: feed.title, title: feed.title, xmlUrl: feed.xmlUrl, htmlUrl: feed.htmlUrl }),
  );
  const head = wrap('head', el('title', title) + el('dateCreated', date ? rfc822(date) : null));
  const body = wrap('body', `\n${outlines.join('\n')}\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${wrap('opml', `${head}\n${body}`, { version: '2.0' })}\n`;
}
