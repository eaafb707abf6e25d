/** Tree edits the reshaping steps share. */
import { type AnyNode, type Element, type ParentNode, children, createElement, isBlock, isElement, isText, relink, someText, tagOf } from '../dom.js';

const VISIBLE = /[^\s\u00A0\u200B\uFEFF]/;

/** Whether `textOf(el)` would be non-empty, without building the text: any character white space collapsing keeps. */
export const hasText = (el: Element): boolean => someText(el, (data) => VISIBLE.test(data));

/** Descendant elements with this tag, in document order. */
export function findTagged(node: AnyNode, tag: string, out: Element[] = []): Element[] {
  for (const child of children(node)) {
    if (!isElement(child)) continue;
    if (tagOf(child) === tag) out.push(child);
    findTagged(child, tag, out);
  }
  return out;
}

export function replaceWith(old: AnyNode, replacement: AnyNode[]): void {
  const parent = old.parent as ParentNode | null;
  if (!parent) return;
  const index = parent.children.indexOf(old);
  parent.children.splice(index, 1, ...replacement);
  relink(parent);
  old.parent = null;
}

/** A run of inline nodes as a paragraph, unless it holds nothing but white space and breaks. */
function pushParagraph(run: AnyNode[], out: AnyNode[]): void {
  if (run.some((n) => (isText(n) && n.data.trim() !== '') || (isElement(n) && tagOf(n) !== 'br'))) {
    out.push(createElement('p', {}, run));
  }
}

/** The runs of inline nodes between the blocks (and figures) of `el`, each as a paragraph. */
export function wrapInlineRuns(el: ParentNode): void {
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
