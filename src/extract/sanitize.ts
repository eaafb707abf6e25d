/**
 * Sanitising in two steps. The reshaping passes work on the parsed domhandler tree (article extraction
 * parses a page once): hidden and non-content elements out, lazy images resolved, figures and captions
 * built, layout tables flattened, URLs made absolute, white space tidied. Then sanitize-html applies the
 * allow-list below to the serialised result: it is the security boundary, whatever the passes missed.
 * `sanitizeHtml` is the string form for other callers (RSS content, tests).
 */
import { serialize } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import sanitize from 'sanitize-html';
import { cleanText } from '../core/text.js';
import { absoluteUrl, pickImageSource, isTrackingImage } from './images.js';
import { parseHtmlFragment } from './parse.js';
import {
  type AnyNode,
  type Element,
  type ParentNode,
  type Text,
  someAncestor,
  children,
  contains,
  createElement,
  hasBlockChild,
  hasDescendant,
  createText,
  elementChildren,
  hintOf,
  isBlock,
  isElement,
  isText,
  removeNode,
  tagOf,
  textOf,
  unwrap,
  relink,
  someText,
} from './dom.js';

/** Removed with everything inside (by the first pass, and again by sanitize-html). */
const DROP_TAGS = [
  'script',
  'style',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'svg',
  'math',
  'canvas',
  'template',
  'link',
  'meta',
  'base',
  'head',
  'title',
  'video',
  'audio',
  'source',
  'track',
  'map',
  'area',
  'dialog',
  'colgroup',
  'col',
  'hr',
  'label',
  'param',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
];

/** The allow-list: everything else is dropped (its text kept, unless it is in DROP_TAGS). */
export const ALLOW_LIST = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    'u',
    'a',
    'img',
    'figure',
    'figcaption',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h2',
    'h3',
    'h4',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { a: ['http', 'https', 'mailto'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_TAGS,
  /** A link without a usable URL is its text; an image without a source is nothing. */
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : frame.tag === 'img' && !frame.attribs.src),
} satisfies sanitize.IOptions;

const DROPPED = new Set(DROP_TAGS);
const ALLOWED = new Set(ALLOW_LIST.allowedTags);
const ALLOWED_ATTRS = new Map<string, string[]>(Object.entries(ALLOW_LIST.allowedAttributes));

// Maps, not objects: a page may name an element `constructor` or `__proto__`.
const RENAME = new Map(Object.entries({ h1: 'h2', h5: 'h4', h6: 'h4', tfoot: 'tbody', dt: 'p', dd: 'p', pre: 'p', address: 'p' }));

const TABLE_PARTS = new Set(['tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption']);

/** Elements whose content is phrasing only; a block inside them gets hoisted out. */
const PHRASING_ONLY = new Set(['p', 'h2', 'h3', 'h4', 'figcaption', 'caption', 'strong', 'em', 'b', 'i', 'u']);

const EMPTY_DROPPABLE = new Set([
  'p',
  'li',
  'h2',
  'h3',
  'h4',
  'strong',
  'em',
  'b',
  'i',
  'u',
  'figcaption',
  'blockquote',
  'ul',
  'ol',
  'table',
  'caption',
  'a',
]);

const CAPTION_HINT = /caption|chu-?thich|chuthich|desc|note|legend|image-?text/;
const CENTERED = /text-align\s*:\s*center/i;

export interface SanitizeContext {
  baseUrl: string;
}

/** Elements later passes rework, noted by the walk that drops what never survives. */
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
  resolveImages(ctx, found);
  // Passes below detach whole subtrees: what was noted inside them is no longer under root.
  buildFigures(root, found);
  flattenTables(found.table.filter((table) => contains(root, table)));
  normaliseElements(ctx, root, tagOf(root as AnyNode) === 'table');
  fixNesting(ctx, root);
  wrapLooseInline(root);
  splitDoubleBreaks(root);
  tidy(root);
  wrapLooseInline(root);
}

const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

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

function resolveImages(ctx: SanitizeContext, found: Reworked): void {
  for (const img of found.img) {
    const src = pickImageSource(img, ctx.baseUrl);
    if (!src || isTrackingImage(img, src)) {
      removeNode(img);
      continue;
    }
    img.attribs.src = src;
  }
  found.picture.forEach(unwrap);
}

const VISIBLE = /[^\s\u00A0\u200B\uFEFF]/;

/** Whether `textOf(el)` would be non-empty, without building the text: any character white space collapsing keeps. */
const hasText = (el: Element): boolean => someText(el, (data) => VISIBLE.test(data));

function imageOnly(node: Element): Element | null {
  if (hasText(node)) return null;
  const imgs = findTagged(node, 'img');
  return imgs.length === 1 ? imgs[0]! : null;
}

/** Descendant elements with this tag, in document order. */
function findTagged(node: AnyNode, tag: string, out: Element[] = []): Element[] {
  for (const child of children(node)) {
    if (!isElement(child)) continue;
    if (tagOf(child) === tag) out.push(child);
    findTagged(child, tag, out);
  }
  return out;
}

function nextElement(node: AnyNode): Element | null {
  let current = node.next;
  while (current) {
    if (isElement(current)) return current;
    if (isText(current) && current.data.trim() !== '') return null;
    current = current.next;
  }
  return null;
}

function isCaptionLike(node: Element, holdsImage = false): boolean {
  const text = textOf(node);
  if (text.length === 0 || text.length > 300 || (!holdsImage && hasDescendant(node, 'img')) || hasDescendant(node, 'table')) return false;
  const tag = tagOf(node);
  if (tag === 'figcaption' || tag === 'em' || tag === 'i' || tag === 'small') return true;
  if (CAPTION_HINT.test(hintOf(node))) return true;
  const { style, align } = node.attribs;
  if ((style !== undefined && CENTERED.test(style)) || align?.toLowerCase() === 'center') return true;
  const italic = [...findTagged(node, 'em'), ...findTagged(node, 'i')].map((e) => textOf(e)).join(' ');
  return italic.replace(/\s+/g, '').length >= text.replace(/\s+/g, '').length * 0.9;
}

function makeFigure(img: Element, caption: string | null): Element {
  const imgCopy = createElement('img', { src: img.attribs.src ?? '', ...(img.attribs.alt ? { alt: img.attribs.alt } : {}) });
  const kids: AnyNode[] = [imgCopy];
  if (caption) kids.push(createElement('figcaption', {}, [createText(caption)]));
  return createElement('figure', {}, kids);
}

function replaceWith(old: AnyNode, replacement: AnyNode[]): void {
  const parent = old.parent as ParentNode | null;
  if (!parent) return;
  const index = parent.children.indexOf(old);
  parent.children.splice(index, 1, ...replacement);
  relink(parent);
  old.parent = null;
}

const FIGURE_HOSTS = new Set(['p', 'div', 'center', 'td', 'th', 'span', 'a', 'section', 'article', 'li', 'strong', 'em', 'b', 'i']);

/** The outermost ancestor (below a container with other content) that holds nothing but this image. */
function imageHost(img: Element, root: ParentNode): Element {
  let host: Element = img;
  while (host.parent && host.parent !== root && isElement(host.parent) && FIGURE_HOSTS.has(tagOf(host.parent))) {
    const parent = host.parent;
    if (imageOnly(parent) !== img) break;
    host = parent;
  }
  return host;
}

function buildFigures(root: ParentNode, found: Reworked): void {
  found.table.forEach(tableToFigures);
  found.figure.forEach(normaliseFigure);
  for (const img of found.img) {
    if (!img.parent || someAncestor(img, (a) => tagOf(a) === 'figure') || !contains(root, img)) continue;
    const host = imageHost(img, root);
    const hostTag = tagOf(host);
    const parentTag = tagOf(host.parent);
    const blockish = isBlock(host) && hostTag !== 'td' && hostTag !== 'th' && hostTag !== 'li';
    const standalone = blockish || host.parent === root || (isBlock(host.parent) && !['p', 'li', 'td', 'th', 'h2', 'h3', 'h4'].includes(parentTag));
    if (!standalone) {
      inlineCaption(img, host);
      continue;
    }
    const next = nextElement(host);
    const caption = next && isCaptionLike(next) ? textOf(next) : null;
    replaceWith(host, [makeFigure(img, caption)]);
    if (caption && next) removeNode(next);
  }
}

/** `<p><img><br><em>caption</em></p>` or a centred p holding an image and its caption. */
function inlineCaption(img: Element, host: Element): void {
  const block = host.parent;
  if (!isElement(block) || tagOf(block) !== 'p') return;
  if (findTagged(block, 'img').length !== 1) return;
  const text = textOf(block);
  if (text.length === 0 || text.length > 300) return;
  if (!isCaptionLike(block, true)) return;
  replaceWith(block, [makeFigure(img, text)]);
}

function normaliseFigure(figure: Element): void {
  const img = findTagged(figure, 'img')[0];
  if (!img) return;
  const caption = findTagged(figure, 'figcaption').map(textOf).join(' ').trim() || textOf(figure) || null;
  replaceWith(figure, [makeFigure(img, caption)]);
}

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of elementChildren(table)) {
    const tag = tagOf(child);
    if (tag === 'tr') rows.push(child);
    else if (tag === 'tbody' || tag === 'thead' || tag === 'tfoot') rows.push(...elementChildren(child).filter((r) => tagOf(r) === 'tr'));
  }
  return rows;
}

/** 3CMS: a layout table whose row holds an image and whose next row holds the caption. */
function tableToFigures(table: Element): void {
  if (!table.parent) return;
  const rows = rowsOf(table);
  if (rows.length === 0 || rows.length > 8) return;
  const figures: Element[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const imgs = findTagged(row, 'img');
    if (imgs.length !== 1) {
      if (hasText(row)) return; // real text outside an image/caption pair: not an image table
      continue;
    }
    if (textOf(row).length > 20) return;
    const next = rows[i + 1];
    const caption = next && !hasDescendant(next, 'img') ? textOf(next) : '';
    if (caption.length > 300) return;
    figures.push(makeFigure(imgs[0]!, caption || null));
    if (caption) i++;
  }
  if (figures.length > 0) replaceWith(table, figures);
}

function isDataTable(table: Element): boolean {
  if (hasDescendant(table, 'table') || hasDescendant(table, 'img')) return false;
  if (hasDescendant(table, 'th') || hasDescendant(table, 'thead') || hasDescendant(table, 'caption')) return true;
  const rows = rowsOf(table);
  const maxCols = Math.max(0, ...rows.map((r) => elementChildren(r).filter((c) => tagOf(c) === 'td' || tagOf(c) === 'th').length));
  if (rows.length < 2 || maxCols < 2) return false;
  const cells = findTagged(table, 'td');
  const long = cells.filter((c) => textOf(c).length > 200).length;
  return long <= cells.length * 0.2;
}

/** Layout tables become their cells' content; data tables stay. */
function flattenTables(tables: Element[]): void {
  for (const table of tables.reverse()) {
    // innermost first
    if (!table.parent || isDataTable(table)) continue;
    const out: AnyNode[] = [];
    for (const row of rowsOf(table)) {
      for (const cell of elementChildren(row)) {
        if (hasBlockChild(cell)) out.push(...cell.children);
        else if (hasText(cell) || hasDescendant(cell, 'img')) {
          out.push(createElement('p', {}, [...cell.children]));
        }
      }
    }
    replaceWith(table, out);
  }
}

function safeAttrs(ctx: SanitizeContext, el: Element, tag: string): void {
  const keep = ALLOWED_ATTRS.get(tag) ?? [];
  const next: Record<string, string> = {};
  for (const name of keep) {
    const value = el.attribs[name];
    if (value === undefined) continue;
    if (name === 'src') {
      next.src = value; // resolved by resolveImages (or copied from a resolved image): absoluteUrl would return it as it is
    } else if (name === 'href') {
      const url = absoluteUrl(value, ctx.baseUrl, true);
      if (url) next.href = url;
    } else if (name === 'alt') {
      next.alt = cleanText(value).replace(/[<>]/g, '').replace(/\s+/g, ' ').trim();
    } else if (/^\d{1,3}$/.test(value.trim())) {
      next[name] = value.trim();
    }
  }
  el.attribs = next;
}

function normaliseElements(ctx: SanitizeContext, node: ParentNode, inTable = false): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue; // scripts and styles are gone by now
    let tag = tagOf(child);
    normaliseElements(ctx, child, inTable || tag === 'table');
    const renamed = RENAME.get(tag);
    if (renamed) {
      child.name = renamed;
      tag = renamed;
    }
    // Rows or cells cut out of their table (a body made of some rows of a layout table) are layout, not data.
    if (TABLE_PARTS.has(tag) && !inTable) {
      blockToParagraphs(child);
      continue;
    }
    if (ALLOWED.has(tag)) {
      safeAttrs(ctx, child, tag);
      if (tag === 'img' && !child.attribs.src) removeNode(child);
      else if (tag === 'a' && !child.attribs.href) unwrap(child);
      continue;
    }
    if (isBlock(child) || tag === 'center') blockToParagraphs(child);
    else unwrap(child);
  }
}

/** A disallowed block becomes a p when it holds only inline content, else its inline runs become p's. */
function blockToParagraphs(el: Element): void {
  const hasBlock = el.children.some((c) => isBlock(c) || tagOf(c) === 'figure');
  const parentTag = tagOf(el.parent);
  if (!hasBlock && !PHRASING_ONLY.has(parentTag) && parentTag !== 'li' && parentTag !== 'td' && parentTag !== 'th') {
    el.name = 'p';
    el.attribs = {};
    return;
  }
  wrapInlineRuns(el);
  unwrap(el);
}

/** A run of inline nodes as a paragraph, unless it holds nothing but white space and breaks. */
function pushParagraph(run: AnyNode[], out: AnyNode[]): void {
  if (run.some((n) => (isText(n) && n.data.trim() !== '') || (isElement(n) && tagOf(n) !== 'br'))) {
    out.push(createElement('p', {}, run));
  }
}

function wrapInlineRuns(el: ParentNode): void {
  const out: AnyNode[] = [];
  let run: AnyNode[] = [];
  // A copy: a run's nodes move into a new p, which takes them out of el.children.
  for (const child of [...el.children]) {
    if (isBlock(child) || tagOf(child) === 'figure') {
      pushParagraph(run, out);
      run = [];
      out.push(child);
    } else run.push(child);
  }
  pushParagraph(run, out);
  el.children = out;
  relink(el);
}

/** A block inside a phrasing-only element (quirks-mode `<p><table>`) is hoisted so the HTML reparses the same. */
function fixNesting(ctx: SanitizeContext, node: ParentNode): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue;
    fixNesting(ctx, child);
    const tag = tagOf(child);
    if (PHRASING_ONLY.has(tag) && child.children.some((c) => isBlock(c) || tagOf(c) === 'figure')) {
      if (tag === 'p') wrapInlineRuns(child);
      unwrap(child);
    }
  }
}

const isBreak = (node: AnyNode | null | undefined): boolean => node?.type === 'tag' && (node as Element).name === 'br';
const isBlankText = (node: AnyNode | null | undefined): boolean => node?.type === 'text' && (node as Text).data.trim() === '';

function isBreakRun(node: AnyNode | null | undefined): boolean {
  let current = node;
  while (isBlankText(current)) current = current!.next;
  return isBreak(current);
}

/** `text<br><br>text` inside a p is two paragraphs, as the author meant. */
function splitDoubleBreaks(node: ParentNode): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue;
    if (child.name !== 'p') splitDoubleBreaks(child);
    else if (child.children.some(isBreak)) splitParagraph(child);
  }
}

function splitParagraph(p: Element): void {
  const parts: AnyNode[][] = [[]];
  const kids = p.children;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i]!;
    if (isBreak(kid) && isBreakRun(kid.next)) {
      while (i + 1 < kids.length && (isBreak(kids[i + 1]) || isBlankText(kids[i + 1]))) i++;
      parts.push([]);
    } else parts[parts.length - 1]!.push(kid);
  }
  if (parts.length > 1)
    replaceWith(
      p,
      parts.map((run) => createElement('p', {}, run)),
    );
}

const TIGHT_CONTAINERS = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tr', 'figure', 'blockquote', 'root']);

const SPACE_RUN = /[\s\u00A0\u200B\uFEFF]+/g;
/** What SPACE_RUN would change: a space other than a plain one, or two in a row. */
const UNTIDY_SPACE = /[\t-\r\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]| {2}/;

function tightContainer(node: ParentNode, tag: string): boolean {
  return TIGHT_CONTAINERS.has(tag) || (isElement(node) && isBlock(node) && hasBlockChild(node));
}

/** Spaces, tabs and line breaks only: the indentation between tags, which cleans up to one space. */
function isIndentation(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 9 && code !== 13) return false;
  }
  return text.length > 0;
}

function tidyText(text: string): string {
  if (isIndentation(text)) return ' ';
  const clean = cleanText(text);
  return UNTIDY_SPACE.test(clean) ? clean.replace(SPACE_RUN, ' ') : clean;
}

/**
 * White space tidied and empty elements dropped, bottom-up in one walk: an element's own children are
 * settled before it is judged, and judging it touches nothing the tidying of its siblings reads.
 */
function tidy(node: ParentNode): void {
  const tag = node.type === 'root' ? 'root' : tagOf(node);
  // Plain type checks here and below: these walks visit every node, and scripts and styles are gone by now.
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i]!;
    if (child.type === 'text') {
      child.data = tidyText(child.data);
      if (child.data === ' ' && (!child.prev || !child.next || tightContainer(node, tag))) {
        removeNode(child);
        i--;
      }
    } else if (child.type === 'tag') tidy(child);
  }
  const block = isBlock(node);
  if (block || tag === 'root' || tag === 'figcaption' || tag === 'figure') trimEdges(node);
  // Backwards: dropping or unwrapping a child moves none of those still to judge.
  for (let i = node.children.length - 1; i >= 0; i--) {
    const child = node.children[i]!;
    if (child.type === 'tag') dropIfEmpty(child);
  }
  if (block || tag === 'root') trimEdges(node);
}

function trimEdges(node: ParentNode): void {
  const kids = node.children;
  while (kids.length && tagOf(kids[0]) === 'br') removeNode(kids[0]!);
  while (kids.length && tagOf(kids[kids.length - 1]) === 'br') removeNode(kids[kids.length - 1]!);
  const first = kids[0];
  if (first?.type === 'text') {
    first.data = first.data.trimStart();
    if (!first.data) removeNode(first);
  }
  const last = kids[kids.length - 1];
  if (last?.type === 'text') {
    last.data = last.data.trimEnd();
    if (!last.data) removeNode(last);
  }
  // collapse <br> runs to one
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i]!;
    if (tagOf(child) !== 'br') continue;
    let next = child.next;
    while (next?.type === 'text' && next.data.trim() === '') next = next.next;
    if (next && tagOf(next) === 'br') {
      removeNode(child);
      i--;
    }
  }
}

function hasContent(node: AnyNode): boolean {
  if (node.type === 'text') return node.data.trim() !== '';
  if (node.type !== 'tag') return false;
  if (tagOf(node) === 'img') return true;
  return node.children.some(hasContent);
}

function dropIfEmpty(el: Element): void {
  const tag = tagOf(el);
  if (tag === 'figure' && !hasDescendant(el, 'img')) removeNode(el);
  else if (EMPTY_DROPPABLE.has(tag) && !hasContent(el)) {
    if (tag === 'a') unwrap(el);
    else removeNode(el);
  }
}

function wrapLooseInline(root: ParentNode): void {
  if (root.children.some((c) => !isBlock(c) && tagOf(c) !== 'figure' && hasContent(c))) wrapInlineRuns(root);
  else {
    for (const child of [...root.children]) if (!isElement(child)) removeNode(child);
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
