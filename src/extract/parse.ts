/**
 * HTML parsing: parse5 (the WHATWG algorithm) into domhandler nodes, the very tree `cheerio.load` builds.
 * `cheerio.load` also declares a class per call; its prototype's shape lives in old space and reaches the
 * document through a closure, so every page it parsed survived young-generation GC and was copied until
 * the next full collection (half of a bare `cheerio.load`'s time went to GC). Parsed here, a page's tree
 * dies young; a cheerio API is built over it only when a configured CSS selector needs one.
 */
import type { Document } from 'domhandler';
import { parse, parseFragment } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';

const OPTIONS = { treeAdapter: adapter, scriptingEnabled: true };

export function parseDocument(html: string): Document {
  return parse(html, OPTIONS);
}

/** A fragment, parsed as `cheerio.load(html, null, false)` does: no `<html>`/`<body>` added. */
export function parseHtmlFragment(html: string): Document {
  return parseFragment(html, OPTIONS);
}
