/** What the field finders share: their result shape, the per-page text lengths they read, and a few tree tests. */
import { cleanText, collapseWhitespace } from '../../core/text.js';
import { foldKey } from '../fold.js';
import { type AnyNode, type Element, tagOf } from '../dom.js';

export interface Found<T> {
  value: T;
  rule: string;
  element?: Element | null;
}

/** Text lengths per element, computed once per page (see content.ts computeStats). */
export type Lengths = Map<AnyNode, { len: number }>;

/** Document order of a page's elements (PageIndex.order). */
export type Order = Map<AnyNode, number>;

export const fold = foldKey;
export const clean = (text: string): string => collapseWhitespace(cleanText(text));
export const lengthOf = (lengths: Lengths, el: AnyNode): number => lengths.get(el)?.len ?? 0;

/** Whether `text.split(' ')` has at most `max` parts, found without building them. */
export function atMostWords(text: string, max: number): boolean {
  let count = 1;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) if (++count > max) return false;
  return true;
}

/** `HINT.test(hintOf(el))` for hint patterns that are case-insensitive and hold no space: the class or the id alone. */
export function hinted(el: Element, hint: RegExp): boolean {
  const { class: className, id } = el.attribs;
  return (className !== undefined && hint.test(className)) || (id !== undefined && hint.test(id));
}

/** The page chrome: no title, date or source line is printed inside it. */
export const CHROME = new Set(['nav', 'footer', 'aside']);
export const inChrome = (el: Element): boolean => CHROME.has(tagOf(el));

/** Date and source lines are never printed inside the page chrome, a link or a list item. */
const NOT_LINE_PARENTS = new Set([...CHROME, 'a', 'li']);
export const inLinkOrChrome = (el: Element): boolean => NOT_LINE_PARENTS.has(tagOf(el));

/** Position in `list` (elements in document order) of the first element whose `order` index is at least `index`. */
export function positionOf(list: readonly Element[], order: Order, index: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((order.get(list[mid]!) ?? 0) < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
