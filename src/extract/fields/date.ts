/** The publication and modification dates: what the page declares (JSON-LD, meta, <time>), else a date line near the title. */
import { parseDate, provenOrder } from '../dates.js';
import {
  type Element,
  type PageIndex,
  type TextReader,
  descendants,
  hasBlockChild,
  someAncestor,
  someText,
  tagOf,
  tagged,
  textOf as textOfNode,
} from '../dom.js';
import { MODIFIED_LABEL, PUBLISHED_LABEL, UPDATED_LABEL } from '../markers.js';
import { type StructuredData, jsonText, metaValue } from '../structured.js';
import { type Found, type Lengths, type Order, fold, hinted, inLinkOrChrome, lengthOf, positionOf } from './common.js';

/** A date line: its length, and how many elements before and after the title it may sit. */
const DATE_LINE = { minLength: 6, maxLength: 140, beforeTitle: 15, afterTitle: 80 } as const;
/** A sentence of this many words or more that mentions a date (`Der nächste Stammtisch ist am 5. Februar 2020.`) is text. */
const DATE_SENTENCE = { words: 10, end: /[.!?…]$/ } as const;

const isSentence = (text: string): boolean => DATE_SENTENCE.end.test(text) && text.split(/\s+/).length >= DATE_SENTENCE.words;
/** Before the title, a date-hinted line wins over an earlier one. */
const DATE_HINT = /date|time|ngay|publish|posted|created|updated/i;

const hasDigit = (data: string): boolean => /\d/.test(data);

/** The date lines near the title: the publication's, and the one labelled as the last change (`Sửa lần cuối vào …`). */
export interface DateLines {
  published: Found<string> | null;
  modified: Found<string> | null;
}

/**
 * The first short element after the title whose text holds a date (`19:48, Thứ Sáu, 19-1-2024`). A line labelled as
 * the last change is the publication date only when the page prints no other.
 */
export function findDateLines(
  body: Element,
  title: Element | null,
  order: Order,
  now: Date,
  lengths: Lengths,
  textOf: TextReader = textOfNode,
): DateLines {
  const titleIndex = title ? (order.get(title) ?? -1) : -1;
  let before: Found<string> | null = null;
  let modified: Found<string> | null = null;
  // A date line wrapped in a few elements is the same text at each level: parse it once.
  const parsedTexts = new Map<string, ReturnType<typeof parseDate>>();
  let pageOrder: ReturnType<typeof provenOrder> | undefined;
  const bodyOrder = (): ReturnType<typeof provenOrder> => (pageOrder === undefined ? (pageOrder = provenOrder(textOf(body))) : pageOrder);
  const list = descendants(body);
  // Order indexes grow along the list: the lines near the title are one slice of it.
  for (let i = title ? positionOf(list, order, titleIndex - DATE_LINE.beforeTitle) : 0; i < list.length; i++) {
    const el = list[i]!;
    const index = order.get(el) ?? 0;
    if (title && index > titleIndex + DATE_LINE.afterTitle) break;
    const text = lineText(el, lengths, textOf);
    if (text === null) continue;
    let parsed = parsedTexts.get(text);
    if (parsed === undefined) parsedTexts.set(text, (parsed = parseDate(text, { now })));
    if (!parsed) continue;
    // `05/06/2024 10:20 AM` reads month first, unless the page's other dates are printed day first.
    if (parsed.rule.includes(':mdy') && bodyOrder() === 'dmy') parsed = parseDate(text, { now, dayFirst: true }) ?? parsed;
    const found = { value: parsed.iso, rule: `date-line:${parsed.rule}`, element: el };
    const folded = fold(text);
    if (MODIFIED_LABEL.test(folded)) {
      modified ??= found;
      continue;
    }
    if (!title || index > titleIndex) {
      if (modified || !PUBLISHED_LABEL.test(folded) || UPDATED_LABEL.test(folded)) return { published: found, modified };
      return { published: found, modified: updateLine(list, i + 1, titleIndex, order, now, lengths, textOf) };
    }
    if (!before || hinted(el, DATE_HINT)) before = found;
  }
  return before ? { published: before, modified } : { published: modified, modified: null };
}

/** The text of a short element with a digit that is no sentence, outside links and chrome: a date line's, or null. */
function lineText(el: Element, lengths: Lengths, textOf: TextReader): string | null {
  const len = lengthOf(lengths, el);
  if (len < DATE_LINE.minLength || len > DATE_LINE.maxLength || hasBlockChild(el) || !someText(el, hasDigit)) return null;
  const text = textOf(el);
  if (text.length < DATE_LINE.minLength || text.length > DATE_LINE.maxLength || isSentence(text) || someAncestor(el, inLinkOrChrome)) return null;
  return text;
}

/** After a line labelled as the publication: a later `Cập nhật lúc …` line in the window is the last change. */
function updateLine(
  list: Element[],
  from: number,
  titleIndex: number,
  order: Order,
  now: Date,
  lengths: Lengths,
  textOf: TextReader,
): Found<string> | null {
  for (let i = from; i < list.length; i++) {
    const el = list[i]!;
    if (titleIndex >= 0 && (order.get(el) ?? 0) > titleIndex + DATE_LINE.afterTitle) break;
    const text = lineText(el, lengths, textOf);
    if (text === null) continue;
    const folded = fold(text);
    if (!UPDATED_LABEL.test(folded) || PUBLISHED_LABEL.test(folded)) continue;
    const parsed = parseDate(text, { now });
    if (parsed) return { value: parsed.iso, rule: `date-line:updated:${parsed.rule}`, element: el };
  }
  return null;
}

function timeAttr(index: PageIndex, hint: RegExp, fallback: boolean): string | null {
  const times = tagged(index, 'time').filter((t) => t.attribs.datetime);
  const hintedTime = times.find((t) => hint.test(`${t.attribs.class ?? ''} ${t.attribs.itemprop ?? ''}`));
  // Unhinted: the one inside <article>, or the page's only one (WordPress prints `<span class="posted-on"><time>`).
  const chosen =
    hintedTime ??
    (fallback ? (times.find((t) => someAncestor(t, (a) => tagOf(a) === 'article')) ?? (times.length === 1 ? times[0] : undefined)) : undefined);
  return chosen?.attribs.datetime ?? null;
}

type DateSource = [rule: string, read: (index: PageIndex, data: StructuredData) => string | null];

/** Where a page declares its dates, most trusted first; a source is read only when those before it gave nothing. */
const DATE_SOURCES: Record<'published' | 'modified', DateSource[]> = {
  published: [
    ['json-ld', (_, data) => jsonText(data.article?.datePublished)],
    ['article:published_time', (_, data) => metaValue(data, 'article:published_time', 'og:published_time', 'datepublished')],
    ['meta:date', (_, data) => metaValue(data, 'pubdate', 'publishdate', 'dc.date.issued', 'dc.date', 'date', 'sailthru.date')],
    ['time[datetime]', (index) => timeAttr(index, /\b(?:published|entry-date|datePublished)\b/, true)],
  ],
  modified: [
    ['json-ld', (_, data) => jsonText(data.article?.dateModified)],
    ['article:modified_time', (_, data) => metaValue(data, 'article:modified_time', 'og:updated_time', 'datemodified')],
    ['time[datetime]', (index) => timeAttr(index, /\b(?:updated|dateModified)\b/, false)],
  ],
};

export function dateFromStructured(index: PageIndex, data: StructuredData, now: Date, kind: 'published' | 'modified'): Found<string> | null {
  for (const [rule, read] of DATE_SOURCES[kind]) {
    const text = read(index, data);
    const parsed = text ? parseDate(text, { now }) : null;
    if (parsed) return { value: parsed.iso, rule };
  }
  return null;
}
