/**
 * White space and breaks: `<br><br>` splits a paragraph, text tidied, empty elements dropped, loose inline
 * content wrapped in paragraphs.
 */
import { cleanText } from '../../core/text.js';
import {
  type AnyNode,
  type Element,
  type ParentNode,
  type Text,
  createElement,
  hasBlockChild,
  hasDescendant,
  isBlock,
  isElement,
  removeNode,
  tagOf,
  textOf,
  unwrap,
} from '../dom.js';
import { replaceWith, wrapInlineRuns } from './tree.js';

/** Elements dropped when they hold no text and no image (a link is unwrapped instead). */
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

const isBreak = (node: AnyNode | null | undefined): boolean => node?.type === 'tag' && (node as Element).name === 'br';
const isBlankText = (node: AnyNode | null | undefined): boolean => node?.type === 'text' && (node as Text).data.trim() === '';

function isBreakRun(node: AnyNode | null | undefined): boolean {
  let current = node;
  while (isBlankText(current)) current = current!.next;
  return isBreak(current);
}

/**
 * Editors that print every paragraph as a line (notices, old CMS editors with `EnterMode: br`) end each with a single
 * `<br>`: a p of at least `minLines` lines, each at least `minLineLength` characters, is that many paragraphs.
 * Addresses, poems and signatures have short lines and stay one paragraph.
 */
const LINE_PARAGRAPHS = { minLines: 3, minLineLength: 50 } as const;

const runText = (run: AnyNode[]): string => cleanText(run.map((n) => (n.type === 'text' ? (n as Text).data : textOf(n))).join('')).trim();

function linesAreParagraphs(kids: AnyNode[]): boolean {
  const lines: AnyNode[][] = [[]];
  for (const kid of kids) {
    if (isBreak(kid)) lines.push([]);
    else lines[lines.length - 1]!.push(kid);
  }
  const texts = lines.map(runText).filter(Boolean);
  return texts.length >= LINE_PARAGRAPHS.minLines && texts.every((t) => t.length >= LINE_PARAGRAPHS.minLineLength);
}

/** `text<br><br>text` inside a p is two paragraphs, as the author meant. */
export function splitDoubleBreaks(node: ParentNode): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue;
    if (child.name !== 'p') splitDoubleBreaks(child);
    else if (child.children.some(isBreak)) splitParagraph(child);
  }
}

function splitParagraph(p: Element): void {
  const parts: AnyNode[][] = [[]];
  const kids = p.children;
  const everyBreak = linesAreParagraphs(kids);
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i]!;
    if (isBreak(kid) && (everyBreak || isBreakRun(kid.next))) {
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
export function tidy(node: ParentNode): void {
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

export function wrapLooseInline(root: ParentNode): void {
  if (root.children.some((c) => !isBlock(c) && tagOf(c) !== 'figure' && hasContent(c))) wrapInlineRuns(root);
  else {
    for (const child of [...root.children]) if (!isElement(child)) removeNode(child);
  }
}
