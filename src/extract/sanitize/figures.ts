/** Figures and captions: an image standing alone becomes `<figure><img><figcaption>`, with the caption the page printed beside it. */
import {
  type AnyNode,
  type Element,
  type ParentNode,
  createElement,
  createText,
  contains,
  hasDescendant,
  hintOf,
  isBlock,
  isElement,
  isText,
  removeNode,
  someAncestor,
  tagOf,
  textOf,
} from '../dom.js';
import { rowsOf } from './tables.js';
import { findTagged, hasText, replaceWith } from './tree.js';

/** A caption's length; how much of it must be italic when nothing else marks it; the size of an image table. */
const CAPTION = { maxLength: 300, italicShare: 0.9, imageTable: { maxRows: 8, maxRowText: 20 } } as const;

const CAPTION_HINT = /caption|chu-?thich|chuthich|desc|note|legend|image-?text/;
const CENTERED = /text-align\s*:\s*center/i;
const CAPTION_TAGS = new Set(['figcaption', 'em', 'i', 'small']);
/** Elements that may hold nothing but an image, and so be replaced by its figure. */
const FIGURE_HOSTS = new Set(['p', 'div', 'center', 'td', 'th', 'span', 'a', 'section', 'article', 'li', 'strong', 'em', 'b', 'i']);
/** An image inside one of these, among other content, is inline: its caption may share the paragraph. */
const INLINE_PARENTS = new Set(['p', 'li', 'td', 'th', 'h2', 'h3', 'h4']);
const NOT_FIGURE_BLOCKS = new Set(['td', 'th', 'li']);

function imageOnly(node: Element): Element | null {
  if (hasText(node)) return null;
  const imgs = findTagged(node, 'img');
  return imgs.length === 1 ? imgs[0]! : null;
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
  if (text.length === 0 || text.length > CAPTION.maxLength || (!holdsImage && hasDescendant(node, 'img')) || hasDescendant(node, 'table'))
    return false;
  if (CAPTION_TAGS.has(tagOf(node))) return true;
  if (CAPTION_HINT.test(hintOf(node))) return true;
  const { style, align } = node.attribs;
  if ((style !== undefined && CENTERED.test(style)) || align?.toLowerCase() === 'center') return true;
  const italic = [...findTagged(node, 'em'), ...findTagged(node, 'i')].map((e) => textOf(e)).join(' ');
  return italic.replace(/\s+/g, '').length >= text.replace(/\s+/g, '').length * CAPTION.italicShare;
}

function makeFigure(img: Element, caption: string | null): Element {
  const imgCopy = createElement('img', { src: img.attribs.src ?? '', ...(img.attribs.alt ? { alt: img.attribs.alt } : {}) });
  const kids: AnyNode[] = [imgCopy];
  if (caption) kids.push(createElement('figcaption', {}, [createText(caption)]));
  return createElement('figure', {}, kids);
}

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

/** Image tables, the page's own figures, then every image that stands alone. */
export function buildFigures(root: ParentNode, found: { img: Element[]; table: Element[]; figure: Element[] }): void {
  found.table.forEach(tableToFigures);
  found.figure.forEach(normaliseFigure);
  for (const img of found.img) {
    if (!img.parent || someAncestor(img, (a) => tagOf(a) === 'figure') || !contains(root, img)) continue;
    const host = imageHost(img, root);
    const blockish = isBlock(host) && !NOT_FIGURE_BLOCKS.has(tagOf(host));
    const standalone = blockish || host.parent === root || (isBlock(host.parent) && !INLINE_PARENTS.has(tagOf(host.parent)));
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
  if (text.length === 0 || text.length > CAPTION.maxLength) return;
  if (!isCaptionLike(block, true)) return;
  replaceWith(block, [makeFigure(img, text)]);
}

function normaliseFigure(figure: Element): void {
  const img = findTagged(figure, 'img')[0];
  if (!img) return;
  const caption = findTagged(figure, 'figcaption').map(textOf).join(' ').trim() || textOf(figure) || null;
  replaceWith(figure, [makeFigure(img, caption)]);
}

/** 3CMS: a layout table whose row holds an image and whose next row holds the caption. */
function tableToFigures(table: Element): void {
  if (!table.parent) return;
  const rows = rowsOf(table);
  if (rows.length === 0 || rows.length > CAPTION.imageTable.maxRows) return;
  const figures: Element[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const imgs = findTagged(row, 'img');
    if (imgs.length !== 1) {
      if (hasText(row)) return; // real text outside an image/caption pair: not an image table
      continue;
    }
    if (textOf(row).length > CAPTION.imageTable.maxRowText) return;
    const next = rows[i + 1];
    const caption = next && !hasDescendant(next, 'img') ? textOf(next) : '';
    if (caption.length > CAPTION.maxLength) return;
    figures.push(makeFigure(imgs[0]!, caption || null));
    if (caption) i++;
  }
  if (figures.length > 0) replaceWith(table, figures);
}
