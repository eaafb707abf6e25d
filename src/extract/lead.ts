/** The lead (summary) and the trailing author/source lines, taken out of the cleaned body. */
import { cleanText, collapseWhitespace, foldVietnamese } from '../core/text.js';
import { type AnyNode, type Element, elementChildren, isElement, isText, removeNode, tagOf, textOf } from './dom.js';
import { bylineName, nameWithOrganisation } from './fields/byline.js';
import type { Found } from './fields/common.js';
import { sourceCredit } from './fields/source.js';
import { foldWords } from './fold.js';
import { GENERIC_DESCRIPTION, META_LABEL } from './markers.js';
import { type StructuredData, jsonText, metaValue } from './structured.js';

const clean = (text: string): string => collapseWhitespace(cleanText(text));
const words = foldWords;

function lastBlock(root: Element): Element | null {
  const kids = root.children;
  for (let i = kids.length - 1; i >= 0; i--) if (isElement(kids[i])) return kids[i] as Element;
  return null;
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

/** Removes a credit line: the tail after the last <br>, or the whole paragraph. */
function removeLine(paragraph: Element, tail: AnyNode[] | null): void {
  if (tail) tail.forEach(removeNode);
  else removeNode(paragraph);
}

function sameAuthor(known: string | null, name: string): boolean {
  return !known || foldVietnamese(known).includes(foldVietnamese(name).replace(/\s*\(.*\)$/, ''));
}

/**
 * The seed pattern: the author's name alone on the last line, and source credits (`Theo Báo Quảng Trị`).
 * Both are removed from the body once taken.
 */
export function takeTrailingCredits(root: Element, knownAuthor: string | null): { author: string | null; sourceName: string | null } {
  let author: string | null = null;
  let sourceName: string | null = null;
  for (let step = 0; step < 3; step++) {
    const last = lastBlock(root);
    if (!last || tagOf(last) !== 'p') break;
    const whole = textOf(last);
    const tail = whole.length > 90 ? tailAfterBreak(last) : null;
    const text = tail ? tailText(tail) : whole;
    const credit = sourceCredit(text);
    if (credit && !sourceName) {
      sourceName = credit;
      removeLine(last, tail);
      continue;
    }
    const name = text.length <= 80 ? bylineName(text) : null;
    if (name && !author && sameAuthor(knownAuthor, name)) {
      author = name;
      removeLine(last, tail);
      continue;
    }
    const signed: { name: string; organisation: string } | null = !name && !author && text.length <= 80 ? nameWithOrganisation(text) : null;
    if (signed && sameAuthor(knownAuthor, signed.name)) {
      author = signed.name;
      sourceName ??= signed.organisation;
      removeLine(last, tail);
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

/** Blocks a body may open with before its first paragraph: a picture, or the record of a document (`Số ký hiệu | …`). */
const BEFORE_FIRST_PARAGRAPH = new Set(['figure', 'table']);

/** The paragraph the body opens with (figures and tables skipped), and its text. */
function firstParagraph(root: Element | null): { element: Element; text: string } | null {
  if (!root) return null;
  for (const child of elementChildren(root)) {
    const tag = tagOf(child);
    if (BEFORE_FIRST_PARAGRAPH.has(tag)) continue;
    const text = textOf(child);
    return (tag === 'p' && text.length > 0) || (/^h[2-4]$/.test(tag) && sentenceLong(text)) ? { element: child, text } : null;
  }
  return null;
}

const BOLD_TAGS = new Set(['strong', 'b']);

/** How many characters other than white space under `node` are set in bold. */
function boldLength(node: AnyNode, inBold: boolean): number {
  if (isText(node)) return inBold ? node.data.replace(/\s+/g, '').length : 0;
  if (!('children' in node)) return 0;
  const bolder = inBold || BOLD_TAGS.has(tagOf(node));
  let length = 0;
  for (const child of (node as Element).children) length += boldLength(child, bolder);
  return length;
}

function boldShare(p: Element, text: string): number {
  const total = text.replace(/\s+/g, '').length;
  return total ? boldLength(p, false) / total : 0;
}

/** Folded words joined by single spaces: how two texts are compared. */
const key = (text: string): string => words(text).join(' ');

/** Share of `wordsOfA` that `b` holds too. */
function overlap(wordsOfA: string[], b: string): number {
  const wb = new Set(words(b));
  if (!wordsOfA.length) return 0;
  return wordsOfA.filter((w) => wb.has(w)).length / wordsOfA.length;
}

/** Whether a paragraph starts with a description or the description with it, on folded keys (a trailing `…` folds away). */
function startsLike(paragraph: string, description: string): boolean {
  return (
    description.length >= 20 &&
    (paragraph.startsWith(description) || (paragraph.length >= description.length * 0.8 && description.startsWith(paragraph)))
  );
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
      // The date line and its furniture (`Lượt xem: 1.203 | In bài`) are no sapo.
      if (META_LABEL.test(foldVietnamese(text))) continue;
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

/**
 * Lead: description (when article-specific) → bold first paragraph → first paragraph; never repeated in the body.
 * `bodyText` is the plain text of `root` as it is when called.
 */
export function takeLead(root: Element | null, bodyText: string, data: StructuredData, title: string, selected: string | null): Found<string> | null {
  const opening = firstParagraph(root);
  const first = opening?.element ?? null;
  const firstText = opening?.text ?? '';
  if (selected) {
    const firstKey = key(firstText);
    const selectedKey = key(selected);
    if (first && (startsLike(firstKey, selectedKey) || startsLike(selectedKey, firstKey))) removeNode(first);
    return { value: selected, rule: 'selector' };
  }
  const declared = metaValue(data, 'og:description', 'description', 'twitter:description') ?? jsonText(data.article?.description);
  const declaredWords = declared ? words(declared) : [];
  const declaredKey = declaredWords.join(' ');
  // Some CMSs repeat the title as the description; that is no lead.
  const description = declared && declaredKey !== key(title) && !GENERIC_DESCRIPTION.test(declaredKey) ? declared : null;
  if (description && first && startsLike(key(firstText), declaredKey)) {
    removeNode(first);
    return { value: clean(firstText), rule: 'first-paragraph~description' };
  }
  const sapo = root ? leadBeforeBody(root, title) : null;
  // A truncated description (`…`) is the start of the sapo printed above the body: the sapo is the lead.
  if (sapo && description && startsLike(key(textOf(sapo)), declaredKey)) {
    removeNode(sapo);
    return { value: clean(textOf(sapo)), rule: 'sapo~description' };
  }
  if (description && overlap(declaredWords, `${title} ${bodyText.slice(0, 3000)}`) >= 0.6) {
    return { value: clean(description), rule: 'meta:description' };
  }
  if (sapo) {
    removeNode(sapo);
    return { value: clean(textOf(sapo)), rule: 'sapo-before-body' };
  }
  if (first && firstText.length >= 40 && boldShare(first, firstText) >= 0.6) {
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
