/**
 * HTML parsing into domhandler nodes, the tree cheerio works over. Documents go through htmlparser2, the
 * parser linkedom (and so the Readability second opinion) uses: parse5's full WHATWG tree construction took
 * half of a page's extraction time and most of its garbage (bench:extract, our side without the second
 * opinion: median 11.2 → 7.3 ms/page; corpus F 0.878 → 0.880 on `--every 3`). Its tree follows the markup
 * as written: no `<tbody>` or `<html>/<body>` is added, misnested tags are not reparented.
 * A page's tree dies young; a cheerio API is built over it only when a configured CSS selector needs one.
 * Fragments (the sanitizer's output) keep parse5, as `cheerio.load(html, null, false)` parses them.
 */
import type { Document } from 'domhandler';
import { parseDocument as parseWithHtmlparser2 } from 'htmlparser2';
import { parse, parseFragment } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';

const PARSE5_OPTIONS = { treeAdapter: adapter, scriptingEnabled: true };

export function parseDocument(html: string): Document {
  return parseWithHtmlparser2(html);
}

/**
 * The tree a browser builds (parse5, WHATWG tree construction: `<tbody>` added, misnested tags reparented), for
 * pages read through configured CSS selectors: ops write them against what the browser's inspector shows.
 */
export function parseAsBrowser(html: string): Document {
  return parse(html, PARSE5_OPTIONS);
}

/** A fragment, parsed as `cheerio.load(html, null, false)` does: no `<html>`/`<body>` added. */
export function parseHtmlFragment(html: string): Document {
  return parseFragment(html, PARSE5_OPTIONS);
}
