/**
 * Sanitising in two steps. The reshaping steps under sanitize/ work on the parsed domhandler tree (article
 * extraction parses a page once): hidden and non-content elements out, lazy images resolved (images.ts), figures
 * and captions built (figures.ts), layout tables flattened (tables.ts), elements renamed and URLs made absolute
 * (elements.ts), white space tidied (whitespace.ts). Then sanitize-html applies the allow-list (allow-list.ts) to
 * the serialised result: it is the security boundary, whatever the steps missed.
 * `sanitizeHtml` is the string form for other callers (RSS content, tests).
 */
import { serialize } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import sanitize from 'sanitize-html';
import { type AnyNode, type Element, type ParentNode, contains, isElement, removeNode, tagOf } from './dom.js';
import { parseHtmlFragment } from './parse.js';
import { ALLOW_LIST, DROP_TAGS } from './sanitize/allow-list.js';
import { fixNesting, normaliseElements } from './sanitize/elements.js';
import { buildFigures } from './sanitize/figures.js';
import { resolveImages } from './sanitize/images.js';
import { flattenTables } from './sanitize/tables.js';
import { splitDoubleBreaks, tidy, wrapLooseInline } from './sanitize/whitespace.js';

export { ALLOW_LIST } from './sanitize/allow-list.js';

export interface SanitizeContext {
  baseUrl: string;
}

const DROPPED = new Set(DROP_TAGS);
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/** Elements later steps rework, noted by the walk that drops what never survives. */
interface Reworked {
  img: Element[];
  picture: Element[];
  table: Element[];
  figure: Element[];
}

/** Cleans the subtree under `root` in place. */
export function sanitizeTree(ctx: SanitizeContext, root: ParentNode): void {
  const found: Reworked = { img: [], picture: [], table: [], figure: [] };
  dropUnwanted(root, found);
  resolveImages(ctx.baseUrl, found.img, found.picture);
  // Steps below detach whole subtrees: what was noted inside them is no longer under root.
  buildFigures(root, found);
  flattenTables(found.table.filter((table) => contains(root, table)));
  normaliseElements(ctx.baseUrl, root, tagOf(root as AnyNode) === 'table');
  fixNesting(root);
  wrapLooseInline(root);
  splitDoubleBreaks(root);
  tidy(root);
  wrapLooseInline(root);
}

function dropUnwanted(node: ParentNode, found: Reworked): void {
  const kids = node.children;
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i]!;
    if (child.type === 'comment' || child.type === 'directive' || child.type === 'cdata') {
      removeNode(child);
      i--;
      continue;
    }
    if (!isElement(child)) continue;
    const tag = tagOf(child);
    const { style, hidden } = child.attribs;
    if (DROPPED.has(tag) || child.name.includes(':') || hidden !== undefined || (style !== undefined && HIDDEN_STYLE.test(style))) {
      removeNode(child);
      i--;
      continue;
    }
    if (tag === 'img' || tag === 'picture' || tag === 'table' || tag === 'figure') found[tag].push(child);
    dropUnwanted(child, found);
  }
}

/** sanitize-html writes void elements as `<br />`; the HTML form keeps stored items byte-identical across versions. */
const SELF_CLOSED = / \/>/g; // only at the end of a tag: sanitize-html escapes every `>` in text and attribute values

/** Serialises the children of a cleaned subtree through the allow-list. */
export function serialise(_ctx: SanitizeContext, root: ParentNode): string {
  return sanitize(serialize(root, { treeAdapter: adapter }), ALLOW_LIST).replace(SELF_CLOSED, '>');
}

function sanitizeOnce(html: string, baseUrl: string): string {
  const root = parseHtmlFragment(html);
  const ctx = { baseUrl };
  sanitizeTree(ctx, root);
  return serialise(ctx, root);
}

/** Allow-list sanitising of an HTML fragment; every URL made absolute against `baseUrl`. Idempotent. */
export function sanitizeHtml(html: string, baseUrl: string): string {
  let current = sanitizeOnce(html, baseUrl);
  // A second pass settles the rare trees the HTML parser rebuilds differently; stop once stable.
  for (let i = 0; i < 3; i++) {
    const next = sanitizeOnce(current, baseUrl);
    if (next === current) return current;
    current = next;
  }
  return current;
}
