/** The lead (summary) and the trailing author/source lines, taken out of the cleaned body. */
import { cleanText, collapseWhitespace, foldVietnamese } from '../core/text.js';
import { type AnyNode, type Element, elementChildren, isElement, isText, removeNode, tagOf, textOf } from './dom.js';
import { type Found, bylineName, sourceCredit } from './fields.js';
import { foldWords } from './fold.js';
import { GENERIC_DESCRIPTION } from './markers.js';
import { type StructuredData, jsonText, metaValue } from './structured.js';
import { plainText } from './text.js';

const clean = (text: string): string => collapseWhitespace(cleanText(text));
const words = foldWords;

function lastBlock(root: Element): Element | null {
  const kids = elementChildren(root);
  return kids[kids.length - 1] ?? null;
}

/** Nodes after the last <br> of a paragraph: `…text.<br>Tiến Nhất`. */
function tailAfterBreak(p: Element): AnyNode[] | null {
  const kids = p.children;
  for (let i = kids.length - 1; i >= 0; i--) if (tagOf(kids[i]) === 'br') return kids.slice(i);
  return null;
}

function tailText(nodes: AnyNode[]): string {
  return clean(nodes.map((n) => (isText(n) ? n.data : textOf(n))).join(' '));
}

/**
 * The seed pattern: the author's name alone on the last line, and source credits (`Theo Báo Quảng Trị`).
 * Both are removed from the body once taken.
 */
export function takeTrailingCredits(root: Element, knownAuthor: string | null): { author: string | null; sourceName: string | null } {
  let author: string | null = null;
  let sourceName: string | null = null;
  const sameAsKnown = (name: string): boolean => !knownAuthor || foldVietnamese(knownAuthor).includes(foldVietnamese(name).replace(/\s*\(.*\)$/, ''));
  for (let step = 0; step < 3; step++) {
    const last = lastBlock(root);
    if (!last || tagOf(last) !== 'p') break;
    const whole = textOf(last);
    const tail = whole.length > 90 ? tailAfterBreak(last) : null;
    const text = tail ? tailText(tail) : whole;
    const drop = (): void => (tail ? tail.forEach(removeNode) : removeNode(last));
    const credit = sourceCredit(text);
    if (credit && !sourceName) {
      sourceName = credit;
      drop();
      continue;
    }
    const name = text.length <= 80 ? bylineName(text) : null;
    if (name && !author && sameAsKnown(name)) {
      author = name;
      drop();
      continue;
    }
    break;
  }
  return { author, sourceName };
}

/** Some themes print the sapo as a heading; a heading that reads as a long sentence is one. */
function sentenceLong(text: string): boolean {
  return text.length >= 100 && /[.!?…"”]$/.test(text);
}

function firstParagraph(root: Element | null): Element | null {
  if (!root) return null;
  for (const child of elementChildren(root)) {
    const tag = tagOf(child);
    if (tag === 'figure') continue;
    const text = textOf(child);
    return (tag === 'p' && text.length > 0) || (/^h[2-4]$/.test(tag) && sentenceLong(text)) ? child : null;
  }
  return null;
}

function boldShare(p: Element): number {
  const total = textOf(p).replace(/\s+/g, '').length;
  if (!total) return 0;
  let bold = 0;
  const walk = (n: AnyNode, inBold: boolean): void => {
    if (isText(n)) bold += inBold ? n.data.replace(/\s+/g, '').length : 0;
    else if ('children' in n) for (const c of (n as Element).children) walk(c, inBold || ['strong', 'b'].includes(tagOf(n)));
  };
  walk(p, false);
  return bold / total;
}

function overlap(a: string, b: string): number {
  const wa = words(a);
  const wb = new Set(words(b));
  if (!wa.length) return 0;
  return wa.filter((w) => wb.has(w)).length / wa.length;
}

function startsLike(paragraph: string, description: string): boolean {
  const p = words(paragraph).join(' ');
  const d = words(description.replace(/(?:\.\.\.|…)\s*$/, '')).join(' ');
  return d.length >= 20 && (p.startsWith(d) || (p.length >= d.length * 0.8 && d.startsWith(p)));
}

/** A sapo block just above the body (outside it): a sentence-length text with no links, not a heading. */
function leadBeforeBody(root: Element, title: string): Element | null {
  let node: Element | null = root;
  for (let depth = 0; node && depth < 3; depth++) {
    let prev = node.prev;
    for (let seen = 0; prev && seen < 3; prev = prev.prev) {
      if (!isElement(prev)) continue;
      seen++;
      const text = textOf(prev);
      // Some themes print the sapo as an h2: a heading only counts when it reads as a long sentence.
      const heading = /^h[1-6]$/.test(tagOf(prev)) && !sentenceLong(text);
      if (heading || text === title || text.length < 60 || text.length > 1000) continue;
      if (hasLinks(prev)) continue;
      return prev;
    }
    if (node.prev && elementSiblingsBefore(node) > 0) break;
    node = isElement(node.parent) ? node.parent : null;
  }
  return null;
}

function hasLinks(el: Element): boolean {
  return el.children.some((c) => isElement(c) && (tagOf(c) === 'a' || hasLinks(c)));
}

function elementSiblingsBefore(el: Element): number {
  let n = 0;
  for (let prev = el.prev; prev; prev = prev.prev) if (isElement(prev)) n++;
  return n;
}

/** Lead: description (when article-specific) → bold first paragraph → first paragraph; never repeated in the body. */
export function takeLead(root: Element | null, data: StructuredData, title: string, selected: string | null): Found<string> | null {
  const first = firstParagraph(root);
  const firstText = first ? textOf(first) : '';
  if (selected) {
    if (first && (startsLike(firstText, selected) || startsLike(selected, firstText))) removeNode(first);
    return { value: selected, rule: 'selector' };
  }
  const declared = metaValue(data, 'og:description', 'description', 'twitter:description') ?? jsonText(data.article?.description);
  // Some CMSs repeat the title as the description; that is no lead.
  const description = declared && words(declared).join(' ') !== words(title).join(' ') && !GENERIC_DESCRIPTION.test(words(declared).join(' ')) ? declared : null;
  if (description && first && startsLike(firstText, description)) {
    removeNode(first);
    return { value: clean(firstText), rule: 'first-paragraph~description' };
  }
  const sapo = root ? leadBeforeBody(root, title) : null;
  // A truncated description (`…`) is the start of the sapo printed above the body: the sapo is the lead.
  if (sapo && description && startsLike(textOf(sapo), description)) {
    removeNode(sapo);
    return { value: clean(textOf(sapo)), rule: 'sapo~description' };
  }
  if (description && overlap(description, `${title} ${root ? plainText(root).slice(0, 3000) : ''}`) >= 0.6) {
    return { value: clean(description), rule: 'meta:description' };
  }
  if (sapo) {
    removeNode(sapo);
    return { value: clean(textOf(sapo)), rule: 'sapo-before-body' };
  }
  if (first && firstText.length >= 40 && boldShare(first) >= 0.6) {
    removeNode(first);
    return { value: clean(firstText), rule: 'bold-first-paragraph' };
  }
  const paragraphs = root ? elementChildren(root).filter((c) => tagOf(c) === 'p').length : 0;
  if (first && firstText.length >= 60 && paragraphs >= 2) {
    removeNode(first);
    return { value: clean(firstText), rule: 'first-paragraph' };
  }
  return null;
}
