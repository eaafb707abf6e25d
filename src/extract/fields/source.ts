/** The source an article is taken from: `Theo Báo Quảng Trị`, `Nguồn tin: …`. */
import { foldVietnamese } from '../../core/text.js';
import { type AnyNode, type Element, type TextReader, descendants, hasBlockChild, someAncestor, someText, textOf as textOfNode } from '../dom.js';
import { SOURCE_CREDIT, SOURCE_LINE } from '../markers.js';
import { type Found, type Lengths, type Order, clean, inLinkOrChrome, lengthOf, positionOf } from './common.js';
import { creditedPerson } from './byline.js';

/** A credit's length, the line that prints it, and the shortest name it may give. */
const SOURCE = { maxCreditLength: 90, minLineLength: 6, maxLineLength: 90, minNameLength: 2 } as const;
/** How a source line opens (`Nguồn`, `Theo`), before folding. */
const SOURCE_LINE_OPENING = /^[\s([]*[nNtT]/;

/** `Theo Báo Quảng Trị` → `Báo Quảng Trị`. */
export function sourceCredit(raw: string): string | null {
  const text = clean(raw);
  if (text.length > SOURCE.maxCreditLength) return null;
  const folded = foldVietnamese(text);
  if (creditedPerson(text, folded)) return null;
  const match = SOURCE_CREDIT.exec(folded);
  if (!match?.[1]) return null;
  const start = folded.indexOf(match[1]);
  const value = text
    .slice(start, start + match[1].length)
    .replace(/[)\].\s]+$/, '')
    .trim();
  return value.length >= SOURCE.minNameLength ? value : null;
}

/** The first characters of an element's text, without building the whole of it. */
function leadingText(el: AnyNode): string {
  for (const child of 'children' in el ? (el as Element).children : []) {
    if (child.type === 'text') {
      const data = (child as { data: string }).data;
      if (data.trim()) return data;
    } else if (child.type === 'tag') {
      const inner = leadingText(child);
      if (inner) return inner;
    }
  }
  return '';
}

const hasAnyColon = (data: string): boolean => /[:：]/.test(data);

/** `Nguồn tin: …` printed outside the body (NukeViet prints it under the body). */
export function findSourceLine(
  body: Element,
  title: Element | null,
  order: Order,
  lengths: Lengths,
  textOf: TextReader = textOfNode,
): Found<string> | null {
  const titleIndex = title ? (order.get(title) ?? -1) : -1;
  const list = descendants(body);
  // Order indexes grow along the list: what follows the title is its tail.
  for (let i = positionOf(list, order, titleIndex); i < list.length; i++) {
    const el = list[i]!;
    const len = lengthOf(lengths, el);
    if (len < SOURCE.minLineLength || len > SOURCE.maxLineLength || hasBlockChild(el)) continue;
    // SOURCE_LINE needs a colon, which folding neither adds nor removes.
    if (!SOURCE_LINE_OPENING.test(leadingText(el)) || !someText(el, hasAnyColon)) continue;
    const text = textOf(el);
    if (!SOURCE_LINE.test(foldVietnamese(text))) continue;
    if (someAncestor(el, inLinkOrChrome)) continue;
    const value = sourceCredit(text);
    if (value) return { value, rule: 'source-line', element: el };
  }
  return null;
}
