/**
 * Allow-list sanitiser working on the cheerio DOM, so article extraction parses a page once.
 * `sanitizeHtml` is the string form for other callers (RSS content, tests).
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import { cleanText } from '../core/text.js';
import { absoluteUrl, pickImageSource, isTrackingImage } from './images.js';
import {
  type AnyNode,
  type Element,
  type ParentNode,
  someAncestor,
  attr,
  children,
  createElement,
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
} from './dom.js';

/** Removed with everything inside. */
const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input',
  'button', 'select', 'textarea', 'option', 'svg', 'math', 'canvas', 'template', 'link', 'meta', 'base', 'head',
  'title', 'video', 'audio', 'source', 'track', 'map', 'area', 'dialog', 'colgroup', 'col', 'hr', 'label', 'param',
]);

const ALLOWED = new Set([
  'p', 'br', 'strong', 'em', 'b', 'i', 'u', 'a', 'img', 'figure', 'figcaption', 'ul', 'ol', 'li', 'blockquote',
  'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption',
]);

const RENAME: Record<string, string> = { h1: 'h2', h5: 'h4', h6: 'h4', tfoot: 'tbody', dt: 'p', dd: 'p', pre: 'p', address: 'p' };

const TABLE_PARTS = new Set(['tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption']);

const ALLOWED_ATTRS: Record<string, string[]> = { a: ['href'], img: ['src', 'alt'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] };

/** Elements whose content is phrasing only; a block inside them gets hoisted out. */
const PHRASING_ONLY = new Set(['p', 'h2', 'h3', 'h4', 'figcaption', 'caption', 'strong', 'em', 'b', 'i', 'u']);

const EMPTY_DROPPABLE = new Set(['p', 'li', 'h2', 'h3', 'h4', 'strong', 'em', 'b', 'i', 'u', 'figcaption', 'blockquote', 'ul', 'ol', 'table', 'caption', 'a']);

const CAPTION_HINT = /caption|chu-?thich|chuthich|desc|note|legend|image-?text/;
const CENTERED = /text-align\s*:\s*center/i;

export interface SanitizeContext {
  $: CheerioAPI;
  baseUrl: string;
}

/** Cleans the subtree under `root` in place. */
export function sanitizeTree(ctx: SanitizeContext, root: ParentNode): void {
  dropUnwanted(root);
  resolveImages(ctx, root);
  buildFigures(root);
  flattenTables(root);
  normaliseElements(ctx, root, tagOf(root as AnyNode) === 'table');
  fixNesting(ctx, root);
  wrapLooseInline(root);
  splitDoubleBreaks(root);
  tidyWhitespace(root);
  dropEmpty(root);
  wrapLooseInline(root);
}

function dropUnwanted(node: AnyNode): void {
  for (const child of [...children(node)]) {
    if (child.type === 'comment' || child.type === 'directive' || child.type === 'cdata') {
      removeNode(child);
      continue;
    }
    if (!isElement(child)) continue;
    const tag = tagOf(child);
    const style = attr(child, 'style') ?? '';
    if (DROP_TAGS.has(tag) || child.name.includes(':') || attr(child, 'hidden') !== undefined || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) {
      removeNode(child);
      continue;
    }
    dropUnwanted(child);
  }
}

function resolveImages(ctx: SanitizeContext, root: ParentNode): void {
  for (const img of ctx$find(root, 'img')) {
    const src = pickImageSource(img, ctx.baseUrl);
    if (!src || isTrackingImage(img, src)) {
      removeNode(img);
      continue;
    }
    img.attribs.src = src;
  }
  for (const picture of ctx$find(root, 'picture')) unwrap(picture);
}

function imageOnly(node: Element): Element | null {
  if (textOf(node) !== '') return null;
  const imgs = ctx$find(node, 'img');
  return imgs.length === 1 ? imgs[0]! : null;
}

function ctx$find(node: AnyNode, tag: string): Element[] {
  const out: Element[] = [];
  const walk = (n: AnyNode): void => {
    for (const c of children(n)) {
      if (!isElement(c)) continue;
      if (tagOf(c) === tag) out.push(c);
      walk(c);
    }
  };
  walk(node);
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
  if (text.length === 0 || text.length > 300 || (!holdsImage && ctx$find(node, 'img').length > 0) || ctx$find(node, 'table').length > 0) return false;
  const tag = tagOf(node);
  if (tag === 'figcaption' || tag === 'em' || tag === 'i' || tag === 'small') return true;
  if (CAPTION_HINT.test(hintOf(node))) return true;
  if (CENTERED.test(attr(node, 'style') ?? '') || (attr(node, 'align') ?? '').toLowerCase() === 'center') return true;
  const italic = [...ctx$find(node, 'em'), ...ctx$find(node, 'i')].map((e) => textOf(e)).join(' ');
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

function buildFigures(root: ParentNode): void {
  for (const table of ctx$find(root, 'table')) tableToFigures(table);
  for (const figure of ctx$find(root, 'figure')) normaliseFigure(figure);
  for (const img of ctx$find(root, 'img')) {
    if (!img.parent || someAncestor(img, (a) => tagOf(a) === 'figure')) continue;
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
  if (ctx$find(block, 'img').length !== 1) return;
  const text = textOf(block);
  if (text.length === 0 || text.length > 300) return;
  if (!isCaptionLike(block, true)) return;
  replaceWith(block, [makeFigure(img, text)]);
}

function normaliseFigure(figure: Element): void {
  const img = ctx$find(figure, 'img')[0];
  if (!img) return;
  const caption = ctx$find(figure, 'figcaption').map(textOf).join(' ').trim() || textOf(figure) || null;
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
    const imgs = ctx$find(row, 'img');
    if (imgs.length !== 1) {
      if (textOf(row) !== '') return; // real text outside an image/caption pair: not an image table
      continue;
    }
    if (textOf(row).length > 20) return;
    const next = rows[i + 1];
    const caption = next && ctx$find(next, 'img').length === 0 ? textOf(next) : '';
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
  const cells = ctx$find(table, 'td');
  const long = cells.filter((c) => textOf(c).length > 200).length;
  return long <= cells.length * 0.2;
}

/** Layout tables become their cells' content; data tables stay. */
function flattenTables(root: ParentNode): void {
  const tables = ctx$find(root, 'table').reverse(); // innermost first
  for (const table of tables) {
    if (!table.parent || isDataTable(table)) continue;
    const out: AnyNode[] = [];
    for (const row of rowsOf(table)) {
      for (const cell of elementChildren(row)) {
        if (cell.children.some((c) => isBlock(c))) out.push(...cell.children);
        else if (textOf(cell) !== '' || ctx$find(cell, 'img').length > 0) {
          out.push(createElement('p', {}, [...cell.children]));
        }
      }
    }
    replaceWith(table, out);
  }
}

function safeAttrs(ctx: SanitizeContext, el: Element, tag: string): void {
  const keep = ALLOWED_ATTRS[tag] ?? [];
  const next: Record<string, string> = {};
  for (const name of keep) {
    const value = el.attribs[name];
    if (value === undefined) continue;
    if (name === 'href' || name === 'src') {
      const url = absoluteUrl(value, ctx.baseUrl, name === 'href');
      if (url) next[name] = url;
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
    if (!isElement(child)) continue;
    normaliseElements(ctx, child, inTable || tagOf(child) === 'table');
    let tag = tagOf(child);
    const renamed = RENAME[tag];
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

function wrapInlineRuns(el: ParentNode): void {
  const out: AnyNode[] = [];
  let run: AnyNode[] = [];
  const flush = (): void => {
    if (run.some((n) => (isText(n) && n.data.trim() !== '') || (isElement(n) && tagOf(n) !== 'br'))) {
      out.push(createElement('p', {}, run));
    }
    run = [];
  };
  // A copy: flush() moves the run's nodes into a new p, which takes them out of el.children.
  for (const child of [...el.children]) {
    if (isBlock(child) || tagOf(child) === 'figure') {
      flush();
      out.push(child);
    } else run.push(child);
  }
  flush();
  el.children = out;
  relink(el);
}

/** A block inside a phrasing-only element (quirks-mode `<p><table>`) is hoisted so the HTML reparses the same. */
function fixNesting(ctx: SanitizeContext, node: ParentNode): void {
  for (const child of [...node.children]) {
    if (!isElement(child)) continue;
    fixNesting(ctx, child);
    const tag = tagOf(child);
    if (PHRASING_ONLY.has(tag) && child.children.some((c) => isBlock(c) || tagOf(c) === 'figure')) {
      if (tag === 'p') wrapInlineRuns(child);
      unwrap(child);
    }
  }
}

function isBreakRun(node: AnyNode | null | undefined): boolean {
  let current = node;
  while (current && isText(current) && current.data.trim() === '') current = current.next;
  return tagOf(current) === 'br';
}

/** `text<br><br>text` inside a p is two paragraphs, as the author meant. */
function splitDoubleBreaks(node: ParentNode): void {
  for (const child of [...node.children]) {
    if (!isElement(child)) continue;
    if (tagOf(child) !== 'p') {
      splitDoubleBreaks(child);
      continue;
    }
    const parts: AnyNode[][] = [[]];
    const kids = child.children;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i]!;
      if (tagOf(kid) === 'br' && isBreakRun(kid.next)) {
        while (i + 1 < kids.length && (tagOf(kids[i + 1]) === 'br' || (isText(kids[i + 1]) && (kids[i + 1] as { data: string }).data.trim() === ''))) i++;
        parts.push([]);
      } else parts[parts.length - 1]!.push(kid);
    }
    if (parts.length === 1) continue;
    replaceWith(child, parts.map((run) => createElement('p', {}, run)));
  }
}

const TIGHT_CONTAINERS = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tr', 'figure', 'blockquote', 'root']);

const SPACE_RUN = /[\s\u00A0\u200B\uFEFF]+/g;
/** What SPACE_RUN would change: a space other than a plain one, or two in a row. */
const UNTIDY_SPACE = /[\t-\r\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]|  /;

function tightContainer(node: ParentNode, tag: string): boolean {
  return TIGHT_CONTAINERS.has(tag) || (isElement(node) && isBlock(node) && node.children.some((c) => isBlock(c)));
}

function tidyWhitespace(node: ParentNode): void {
  const tag = node.type === 'root' ? 'root' : tagOf(node);
  for (const child of [...node.children]) {
    if (isText(child)) {
      const data = cleanText(child.data);
      child.data = UNTIDY_SPACE.test(data) ? data.replace(SPACE_RUN, ' ') : data;
      if (child.data === ' ' && (!child.prev || !child.next || tightContainer(node, tag))) removeNode(child);
    } else if (isElement(child)) tidyWhitespace(child);
  }
  if (isBlock(node) || tag === 'root' || tag === 'figcaption' || tag === 'figure') trimEdges(node);
}

function trimEdges(node: ParentNode): void {
  while (node.children.length && tagOf(node.children[0]) === 'br') removeNode(node.children[0]!);
  while (node.children.length && tagOf(node.children[node.children.length - 1]) === 'br') removeNode(node.children[node.children.length - 1]!);
  const first = node.children[0];
  if (isText(first)) {
    first.data = first.data.trimStart();
    if (!first.data) removeNode(first);
  }
  const last = node.children[node.children.length - 1];
  if (isText(last)) {
    last.data = last.data.trimEnd();
    if (!last.data) removeNode(last);
  }
  // collapse <br> runs to one
  for (const child of [...node.children]) {
    if (tagOf(child) !== 'br') continue;
    let next = child.next;
    while (next && isText(next) && next.data.trim() === '') next = next.next;
    if (next && tagOf(next) === 'br') removeNode(child);
  }
}

function hasContent(node: AnyNode): boolean {
  if (isText(node)) return node.data.trim() !== '';
  if (!isElement(node)) return false;
  if (tagOf(node) === 'img') return true;
  return node.children.some(hasContent);
}

function dropEmpty(node: ParentNode): void {
  for (const child of [...node.children]) {
    if (!isElement(child)) continue;
    dropEmpty(child);
    const tag = tagOf(child);
    if (tag === 'figure' && ctx$find(child, 'img').length === 0) removeNode(child);
    else if (EMPTY_DROPPABLE.has(tag) && !hasContent(child)) {
      if (tag === 'a') unwrap(child);
      else removeNode(child);
    }
  }
  if (isBlock(node) || node.type === 'root') trimEdges(node);
}

function wrapLooseInline(root: ParentNode): void {
  if (root.children.some((c) => !isBlock(c) && tagOf(c) !== 'figure' && hasContent(c))) wrapInlineRuns(root);
  else {
    for (const child of [...root.children]) if (!isElement(child)) removeNode(child);
  }
}

/** Serialises the children of a cleaned subtree. */
export function serialise(ctx: SanitizeContext, root: ParentNode): string {
  return ctx.$.html(root.children);
}

function sanitizeOnce(html: string, baseUrl: string): string {
  const $ = cheerio.load(html, null, false);
  const root = $.root()[0] as unknown as ParentNode;
  const ctx = { $, baseUrl };
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
