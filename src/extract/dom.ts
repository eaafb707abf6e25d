/** Small helpers over the domhandler tree cheerio builds; they avoid wrapping every node in a cheerio object. */
import { Element as DomElement, Text as DomText } from 'domhandler';
import type { AnyNode, Element, ParentNode, Text } from 'domhandler';
import { collapseWhitespace } from '../core/text.js';

export type { AnyNode, Element, ParentNode, Text };

export function isElement(node: AnyNode | null | undefined): node is Element {
  return !!node && (node.type === 'tag' || node.type === 'script' || node.type === 'style');
}

export function isText(node: AnyNode | null | undefined): node is Text {
  return !!node && node.type === 'text';
}

/** The tag name: lower case as the parsers (and the second opinion's conversion) write it, so read as it is. */
export function tagOf(node: AnyNode | null | undefined): string {
  return isElement(node) ? node.name : '';
}

export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
  'caption',
  'summary',
  'body',
  'html',
]);

export function isBlock(node: AnyNode | null | undefined): boolean {
  return BLOCK_TAGS.has(tagOf(node));
}

export function children(node: AnyNode): AnyNode[] {
  return 'children' in node ? (node as ParentNode).children : [];
}

export function elementChildren(node: AnyNode): Element[] {
  return children(node).filter(isElement);
}

/** The next element among `el`'s siblings, past any text between. */
export function nextElement(el: Element): Element | null {
  for (let next = el.next; next; next = next.next) if (isElement(next)) return next;
  return null;
}

export function hasBlockChild(el: Element): boolean {
  for (const child of el.children) if (isBlock(child)) return true;
  return false;
}

/** Whether a piece of the text `el` shows (its text nodes; scripts and styles left out) passes `test`, without joining them. */
export function someText(el: Element, test: (data: string) => boolean): boolean {
  for (const child of el.children) {
    if (child.type === 'text' ? test((child as Text).data) : child.type === 'tag' && someText(child as Element, test)) return true;
  }
  return false;
}

/** Raw text of a subtree (scripts and styles excluded). */
export function rawText(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isElement(node) && node.type !== 'root') return '';
  if (node.type === 'script' || node.type === 'style') return '';
  let out = '';
  for (const child of children(node)) {
    out += tagOf(child) === 'br' ? ' ' : rawText(child);
    if (isBlock(child)) out += ' ';
  }
  return out;
}

export function textOf(node: AnyNode): string {
  return collapseWhitespace(rawText(node));
}

/** `textOf` of an element, read once: for steps that read the same elements while the tree does not change. */
export type TextReader = (el: Element) => string;

export function textReader(): TextReader {
  const texts = new Map<Element, string>();
  return (el) => {
    let text = texts.get(el);
    if (text === undefined) texts.set(el, (text = textOf(el)));
    return text;
  };
}

/** Descendant elements in document order. */
export function descendants(node: AnyNode): Element[] {
  const out: Element[] = [];
  collectElements(children(node), out);
  return out;
}

function collectElements(list: AnyNode[], out: Element[]): void {
  for (const child of list) {
    if (isElement(child)) {
      out.push(child);
      collectElements(child.children, out);
    }
  }
}

/** Whether an element above `node` passes `test`, without building the ancestor list. */
export function someAncestor(node: AnyNode, test: (el: Element) => boolean): boolean {
  for (let current = node.parent; current && isElement(current); current = current.parent) if (test(current)) return true;
  return false;
}

export function ancestors(node: AnyNode): Element[] {
  const out: Element[] = [];
  let current = node.parent;
  while (current && isElement(current)) {
    out.push(current);
    current = current.parent;
  }
  return out;
}

export function contains(outer: AnyNode, inner: AnyNode): boolean {
  let current: AnyNode | null = inner;
  while (current) {
    if (current === outer) return true;
    current = current.parent;
  }
  return false;
}

export function attr(node: Element, name: string): string | undefined {
  return node.attribs[name];
}

/** class + id, lowercased: the hint string some heuristics weigh. */
export function hintOf(node: Element): string {
  const { class: className, id } = node.attribs;
  // Most elements have neither; skip building the string for them.
  if (className === undefined && id === undefined) return ' ';
  return `${className ?? ''} ${id ?? ''}`.toLowerCase();
}

export function removeNode(node: AnyNode): void {
  const parent = node.parent;
  if (!parent) return;
  const list = (parent as ParentNode).children;
  const index = list.indexOf(node);
  if (index >= 0) list.splice(index, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** Replaces a node by its children. */
export function unwrap(node: Element): void {
  const parent = node.parent as ParentNode | null;
  if (!parent) return;
  const kids = [...node.children];
  const list = parent.children;
  const index = list.indexOf(node);
  if (index < 0) return;
  list.splice(index, 1, ...kids);
  for (const kid of kids) kid.parent = parent;
  relink(parent);
  node.children = [];
  node.parent = null;
}

export function relink(parent: ParentNode): void {
  const list = parent.children;
  for (let i = 0; i < list.length; i++) {
    const node = list[i]!;
    node.prev = list[i - 1] ?? null;
    node.next = list[i + 1] ?? null;
    node.parent = parent;
  }
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** A new element as parse5 would build it (namespace set, so void tags serialise as `<img>`). */
export function createElement(name: string, attribs: Record<string, string> = {}, kids: AnyNode[] = []): Element {
  const el = new DomElement(name, attribs, []);
  el.namespace = HTML_NS;
  el['x-attribsNamespace'] = {};
  el['x-attribsPrefix'] = {};
  for (const kid of kids) if (kid.parent) removeNode(kid);
  el.children = kids;
  relink(el);
  return el;
}

export function createText(data: string): Text {
  return new DomText(data);
}

/** Elements of a page grouped by tag, in document order, from a single walk (cheaper than many CSS queries). */
export interface PageIndex {
  byTag: Map<string, Element[]>;
  /** Elements a page marks as breadcrumbs (class/id/aria-label/itemtype). */
  crumbs: Element[];
  /** `rel=author` links and `itemprop=author` elements. */
  authors: Element[];
  /** Elements carrying microdata (`itemprop`), in document order. */
  itemprops: Element[];
  /** Document order of the elements inside the first `<body>`, for "before/after" questions. */
  order: Map<AnyNode, number>;
}

const CRUMB_HINT = /breadcrumb|bread-?crum/i;

function crumbHinted(attribs: Record<string, string>): boolean {
  const { class: className, id, 'aria-label': label, itemtype } = attribs;
  // Most elements carry none of the four: skip the pattern for them.
  if (className === undefined && id === undefined && label === undefined && itemtype === undefined) return false;
  for (const value of [className, id, label, itemtype]) if (value !== undefined && CRUMB_HINT.test(value)) return true;
  return false;
}

export function indexPage(root: AnyNode): PageIndex {
  const index: PageIndex = { byTag: new Map(), crumbs: [], authors: [], itemprops: [], order: new Map() };
  let bodySeen = false;
  let inBody = false;
  const walk = (node: AnyNode): void => {
    for (const child of children(node)) {
      if (!isElement(child)) continue;
      const tag = child.name;
      const list = index.byTag.get(tag);
      if (list) list.push(child);
      else index.byTag.set(tag, [child]);
      if (inBody) index.order.set(child, index.order.size);
      const a = child.attribs;
      if (crumbHinted(a)) index.crumbs.push(child);
      if ((tag === 'a' && a.rel !== undefined && /(?:^|\s)author(?:\s|$)/i.test(a.rel)) || a.itemprop === 'author') index.authors.push(child);
      if (a.itemprop !== undefined) index.itemprops.push(child);
      const entersBody = tag === 'body' && !bodySeen;
      if (entersBody) bodySeen = inBody = true;
      walk(child);
      if (entersBody) inBody = false;
    }
  };
  walk(root);
  // A tree without <body> (a fragment) is read whole.
  if (!bodySeen) for (const el of descendants(root)) index.order.set(el, index.order.size);
  return index;
}

export function tagged(index: PageIndex, tag: string): Element[] {
  return index.byTag.get(tag) ?? [];
}

export function hasDescendant(node: AnyNode, tag: string): boolean {
  for (const child of children(node)) {
    if (!isElement(child)) continue;
    if (child.name === tag || hasDescendant(child, tag)) return true;
  }
  return false;
}
