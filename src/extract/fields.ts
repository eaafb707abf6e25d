/** Field finders: title, date line, byline, section, keywords. Each returns the value and the rule that found it. */
import { cleanText, collapseWhitespace, foldVietnamese } from '../core/text.js';
import { parseDate } from './dates.js';
import { foldKey } from './fold.js';
import {
  type AnyNode,
  type Element,
  type PageIndex,
  type Text,
  ancestors,
  descendants,
  hasBlockChild,
  memoised,
  someAncestor,
  someText,
  isElement,
  tagOf,
  tagged,
  textOf,
} from './dom.js';

/** Text lengths per element, computed once per page (see content.ts computeStats). */
export type Lengths = Map<AnyNode, { len: number }>;
import {
  AUTHOR_SUFFIX,
  BREADCRUMB_SKIP,
  BYLINE_PREFIX,
  ORGANISATION_WORDS,
  NOT_AUTHORS,
  RELATED_MARKERS,
  SITE_NAME_HINTS,
  SOURCE_CREDIT,
  SOURCE_LINE,
} from './markers.js';
import { type StructuredData, jsonList, jsonText, metaValue, metaValues } from './structured.js';

export interface Found<T> {
  value: T;
  rule: string;
  element?: Element | null;
}

const fold = (text: string): string => memoised(foldKey, text);
/** Title parts are asked this several times over. */
const namesSite = (text: string): boolean => SITE_NAME_HINTS.test(foldVietnamese(text));
const clean = (text: string): string => collapseWhitespace(cleanText(text));

/** Whether `text.split(' ')` has at most `max` parts, found without building them. */
function atMostWords(text: string, max: number): boolean {
  let count = 1;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) if (++count > max) return false;
  return true;
}

/** A short text that names a site (`Cổng TTĐT tỉnh Quảng Trị`), not a headline that mentions one; `folded` is its fold. */
const namesSiteBriefly = (text: string, folded: string): boolean => memoised(namesSite, text) && atMostWords(folded, 8);

/**
 * `HINT.test(hintOf(el))` without building the hint string: the hint patterns here are case-insensitive and hold
 * no space, so they match the class or the id alone.
 */
function hinted(el: Element, hint: RegExp): boolean {
  const { class: className, id } = el.attribs;
  return (className !== undefined && hint.test(className)) || (id !== undefined && hint.test(id));
}

const SHOWN = /[^\s\u200B]/;

/** The first character of `textOf(el)`, without building the text. */
function firstShownChar(el: Element): string {
  for (const child of el.children) {
    if (child.type === 'text') {
      const data = (child as Text).data;
      const at = data.search(SHOWN);
      if (at >= 0) return data[at]!;
    } else if (child.type === 'tag') {
      const found = firstShownChar(child as Element);
      if (found) return found;
    }
  }
  return '';
}

const hasDigit = (data: string): boolean => /\d/.test(data);
const hasColon = (data: string): boolean => data.includes(':');
const hasAnyColon = (data: string): boolean => /[:：]/.test(data);

// A separator starts with a space, `:` or `|`: the lookahead lets the scan skip every other character.
const TITLE_SEPARATORS = /(?=[\s:|])(?:\s+[-|–—:»·]\s+|\s*::\s*|\s+\|\s*|\s*\|\s+)/;
/** Every separator holds one of these: a title without any is one part. */
const SEPARATOR_CHARS = /[-|–—:»·]/;

function splitTitle(title: string): string[] {
  if (!SEPARATOR_CHARS.test(title)) return title.trim() ? [title.trim()] : [];
  return title
    .split(TITLE_SEPARATORS)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The parts of a title (shared: callers must not change the list). */
const titleParts = (title: string): readonly string[] => memoised(splitTitle, title);

/** `Title - Cổng TTĐT tỉnh Quảng Trị` → `Title`: drops the parts that name the site. */
export function stripSiteName(title: string, siteName: string | null): string {
  const parts = titleParts(title);
  if (parts.length < 2) return title.trim();
  const site = siteName ? fold(siteName) : null;
  const isSite = (p: string): boolean => {
    const f = fold(p);
    return (site !== null && (f === site || site.includes(f) || f.includes(site))) || namesSiteBriefly(p, f);
  };
  let start = 0;
  let end = parts.length;
  while (end - start > 1 && isSite(parts[end - 1]!)) end--;
  while (end - start > 1 && isSite(parts[start]!)) start++;
  if (start === 0 && end === parts.length) return title.trim();
  // Rejoin what is left with the separators the title used.
  const kept = parts.slice(start, end);
  const firstIndex = title.indexOf(kept[0]!);
  const last = kept[kept.length - 1]!;
  return title.slice(firstIndex, title.lastIndexOf(last) + last.length).trim();
}

function similarity(a: string, b: string, bWords?: Set<string>): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  if (b.includes(a)) return a.length / b.length;
  if (a.includes(b)) return b.length / a.length;
  const wa = new Set(a.split(' '));
  const wb = bWords ?? new Set(b.split(' '));
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return (0.8 * common) / Math.max(wa.size, wb.size);
}

const TITLE_TAGS = new Set(['h1', 'h2', 'h3', 'h4']);
/** Box headings (`Tin xem nhiều`, `Tin liên quan`) are never an article's title. */
const RELATED_TITLES = new RegExp(`^(?:${RELATED_MARKERS.join('|')})$`);
const TITLE_HINT = /title|tieu-?de|headline|heading/i;
const CHROME = new Set(['nav', 'footer', 'aside']);
/** Elements a title is printed in without a heading tag or a title class. */
const PLAIN_TITLE_TAGS = new Set(['p', 'div', 'span', 'strong', 'b', 'td', 'a']);

const inChrome = (el: Element): boolean => CHROME.has(tagOf(el));

/** How `el` may print a title: h1 3, other headings 2, title-hinted elements 1, plain lines 0; -1 when it cannot. */
function titleRank(el: Element): number {
  const tag = tagOf(el);
  if (TITLE_TAGS.has(tag)) return tag === 'h1' ? 3 : 2;
  const titleHinted = hinted(el, TITLE_HINT);
  if (!titleHinted && !PLAIN_TITLE_TAGS.has(tag)) return -1;
  if (tag !== 'a' && hasBlockChild(el)) return -1;
  return titleHinted ? 1 : 0;
}

export function titleRefs(data: StructuredData): Array<{ text: string; rule: string }> {
  const siteName = metaValue(data, 'og:site_name');
  const refs: Array<{ text: string; rule: string }> = [];
  const headline = jsonText(data.article?.headline) ?? jsonText(data.article?.name);
  if (headline) refs.push({ text: headline, rule: 'json-ld' });
  const og = metaValue(data, 'og:title', 'twitter:title');
  if (og) refs.push({ text: stripSiteName(og, siteName), rule: 'og:title' });
  if (data.titleTag) refs.push({ text: stripSiteName(data.titleTag, siteName), rule: 'title-tag' });
  return refs.filter((r) => r.text.length > 0);
}

/** Folded texts of short links and images' alt texts: the menu labels and logos a page carries. */
function shortLabels(index: PageIndex): Set<string> {
  const out = new Set<string>();
  for (const a of tagged(index, 'a')) {
    const text = textOf(a);
    if (text.length > 0 && text.length <= 40) out.add(fold(text));
  }
  for (const img of tagged(index, 'img')) if (img.attribs.alt && img.attribs.alt.length <= 60) out.add(fold(img.attribs.alt));
  return out;
}

/**
 * A site or section name (what a <title> holds on pages that do not name the article there), or a short
 * reference that is also a menu link or a logo's alt text: either names the site or a section, not the article.
 */
function genericRef(labels: () => Set<string>, text: string, siteName: string | null): boolean {
  const f = fold(text);
  if ((siteName && f === fold(siteName)) || namesSiteBriefly(text, f)) return true;
  return atMostWords(f, 4) && labels().has(f);
}

/** `Tin tức | Title`: a part that is a menu label or the site's name is no part of the title. */
function dropGenericParts(labels: () => Set<string>, title: string, siteName: string | null): string {
  const parts = titleParts(title);
  if (parts.length < 2) return title;
  const kept = parts.filter((p) => !genericRef(labels, p, siteName));
  if (kept.length === 0 || kept.length === parts.length) return title;
  const first = kept[0]!;
  const last = kept[kept.length - 1]!;
  return title.slice(title.indexOf(first), title.lastIndexOf(last) + last.length).trim();
}

interface TitleRef {
  text: string;
  rule: string;
  folded: string;
  words?: Set<string>;
}

/** The reference titles, without the parts and the titles that name the site or a menu entry. */
function usableRefs(data: StructuredData, siteName: string | null, labels: () => Set<string>): TitleRef[] {
  const out: TitleRef[] = [];
  const seen = new Set<string>();
  for (const ref of titleRefs(data)) {
    // og:title and <title> often read the same once the site name is gone: a repeated reference changes nothing.
    if (seen.has(ref.text)) continue;
    seen.add(ref.text);
    const text = dropGenericParts(labels, ref.text, siteName);
    if (!genericRef(labels, text, siteName)) out.push({ text, rule: ref.rule, folded: fold(text) });
  }
  return out;
}

function nearLength(refs: TitleRef[], len: number, lo: number, hi: number): boolean {
  for (const ref of refs) if (len >= ref.text.length * lo && len <= ref.text.length * hi) return true;
  return false;
}

/** The element of a title's length (6–300 characters) that best matches a reference title. */
function matchingHeading(body: Element, refs: TitleRef[], lengths: Lengths): { el: Element; rule: string } | null {
  let best: { el: Element; sim: number; rule: string; rank: number } | null = null;
  for (const el of descendants(body)) {
    // An h1 that is exactly the reference title cannot be outscored.
    if (best && best.sim === 1 && best.rank === 3) break;
    const len = lengths.get(el)?.len ?? 0;
    // Only similar lengths are worth a look; plain elements must match a reference title almost exactly.
    if (len < 6 || len > 300 || !nearLength(refs, len, 0.4, 2.5)) continue;
    const rank = titleRank(el);
    if (rank < 0 || (rank === 0 && !nearLength(refs, len, 0.85, 1.2)) || someAncestor(el, inChrome)) continue;
    const folded = fold(textOf(el));
    const needed = rank > 0 ? 0.5 : 0.9;
    for (const ref of refs) {
      // Texts that share words without one holding the other score at most 0.8: no plain element passes on that.
      if (rank === 0 && !ref.folded.includes(folded) && !folded.includes(ref.folded)) continue;
      const sim = similarity(folded, ref.folded, (ref.words ??= new Set(ref.folded.split(' '))));
      if (sim < needed) continue;
      if (!best || sim > best.sim + 0.05 || (Math.abs(sim - best.sim) <= 0.05 && rank > best.rank))
        best = { el, sim, rule: `heading~${ref.rule}`, rank };
    }
  }
  return best;
}

/** The heading that best matches <title>/og:title/JSON-LD; else the structured title; else the first h1. */
export function findTitle(index: PageIndex, body: Element, data: StructuredData, lengths: Lengths): Found<string> | null {
  const siteName = metaValue(data, 'og:site_name');
  let memo: Set<string> | null = null;
  const labels = (): Set<string> => (memo ??= shortLabels(index));
  const refs = usableRefs(data, siteName, labels);
  const best = refs.length > 0 ? matchingHeading(body, refs, lengths) : null;
  if (best) return { value: textOf(best.el), rule: best.rule, element: best.el };
  const ref = refs[0];
  if (ref) return { value: clean(ref.text), rule: ref.rule, element: null };
  return firstHeading(index, body, lengths, (text) => genericRef(labels, text, siteName));
}

/** No usable reference: the first h1, a title-hinted element, then an h2, outside the page chrome. */
function firstHeading(index: PageIndex, body: Element, lengths: Lengths, generic: (text: string) => boolean): Found<string> | null {
  // A <header> inside an <article> (WordPress) holds the title; the page's own header holds the site name.
  const outsideChrome = (el: Element): boolean => {
    const chain = ancestors(el);
    const inArticle = chain.some((a) => tagOf(a) === 'article' || tagOf(a) === 'main');
    return !chain.some((a) => CHROME.has(tagOf(a)) || (tagOf(a) === 'header' && !inArticle));
  };
  const fits = (el: Element): boolean => {
    const len = lengths.get(el)?.len ?? 0;
    const text = textOf(el);
    return len >= 6 && len <= 300 && outsideChrome(el) && !generic(text) && !RELATED_TITLES.test(fold(text));
  };
  // Box titles of sidebars are short and often upper case; an article title is a sentence-length line.
  const pool: Array<[Element, string, number]> = [
    ...tagged(index, 'h1').map((el): [Element, string, number] => [el, 'h1', 3]),
    ...descendants(body)
      .filter((el) => tagOf(el) !== 'h1' && tagOf(el) !== 'h2' && hinted(el, TITLE_HINT) && (lengths.get(el)?.len ?? 0) >= 10 && titleRank(el) >= 0)
      .map((el): [Element, string, number] => [el, 'title-hint', 2]),
    ...tagged(index, 'h2')
      .filter((el) => (lengths.get(el)?.len ?? 0) >= 10)
      .map((el): [Element, string, number] => [el, 'h2', 1]),
  ];
  let pick: { el: Element; rule: string; score: number } | null = null;
  for (const [el, rule, rank] of pool) {
    if (!fits(el)) continue;
    const text = textOf(el);
    const score = rank + (atMostWords(text, 4) ? 0 : 2) - (text === text.toUpperCase() ? 3 : 0);
    if (!pick || score > pick.score) pick = { el, rule, score };
  }
  if (pick) return { value: textOf(pick.el), rule: pick.rule, element: pick.el };
  return null;
}

const DATE_HINT = /date|time|ngay|publish|posted|created|updated/i;
/** Date and source lines are never printed inside the page chrome, a link or a list item. */
const NOT_LINE_PARENTS = new Set([...CHROME, 'a', 'li']);
const inLinkOrChrome = (el: Element): boolean => NOT_LINE_PARENTS.has(tagOf(el));

/** Position in `list` (elements in document order) of the first element whose `order` index is at least `index`. */
function positionOf(list: readonly Element[], order: Map<unknown, number>, index: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((order.get(list[mid]!) ?? 0) < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first short element after the title whose text holds a date (`19:48, Thứ Sáu, 19-1-2024`). */
export function findDateLine(body: Element, title: Element | null, order: Map<unknown, number>, now: Date, lengths: Lengths): Found<string> | null {
  const titleIndex = title ? (order.get(title) ?? -1) : -1;
  let before: Found<string> | null = null;
  // A date line wrapped in a few elements is the same text at each level: parse it once.
  const parsedTexts = new Map<string, ReturnType<typeof parseDate>>();
  const list = descendants(body);
  // Order indexes grow along the list: the lines near the title are one slice of it.
  for (let i = title ? positionOf(list, order, titleIndex - 15) : 0; i < list.length; i++) {
    const el = list[i]!;
    const index = order.get(el) ?? 0;
    if (title && index > titleIndex + 80) break;
    const len = lengths.get(el)?.len ?? 0;
    if (len < 6 || len > 140 || hasBlockChild(el) || !someText(el, hasDigit)) continue;
    const text = textOf(el);
    if (text.length < 6 || text.length > 140 || someAncestor(el, inLinkOrChrome)) continue;
    let parsed = parsedTexts.get(text);
    if (parsed === undefined) parsedTexts.set(text, (parsed = parseDate(text, { now })));
    if (!parsed) continue;
    const found = { value: parsed.iso, rule: `date-line:${parsed.rule}`, element: el };
    if (!title || index > titleIndex) return found;
    if (!before || hinted(el, DATE_HINT)) before = found;
  }
  return before;
}

const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}]*\.?|\p{Lu}{1,4})$/u;
const HONORIFIC = /^(?:Th\.?S|TS|PGS|GS|BS|KS)\.$/;

/** A person's name: 1–5 capitalised words per name, names joined by `-`, `,`, `và`; no sentence punctuation. */
export function personName(raw: string): string | null {
  const text = clean(raw).replace(/^[-–—\s]+|[-–—\s.]+$/g, '');
  const foldedSuffix = AUTHOR_SUFFIX.exec(foldVietnamese(text));
  const suffix = foldedSuffix ? text.slice(text.length - foldedSuffix[0].length) : '';
  const core = suffix ? text.slice(0, text.length - suffix.length).trim() : text;
  if (!core || core.length > 60 || /[.!?:;"“”0-9]/.test(core.replace(/\b(?:Th\.?S|TS|PGS|GS|BS|KS|ThS)\.\s*/g, ''))) return null;
  const foldedCore = foldVietnamese(core);
  if (NOT_AUTHORS.some((re) => re.test(foldedCore.trim())) || SOURCE_CREDIT.test(foldedCore)) return null;
  const names = core.split(/\s*[-–,&]\s*|\s+và\s+/u).filter(Boolean);
  if (names.length === 0 || names.length > 4) return null;
  for (const name of names) {
    const words = name.split(/\s+/);
    if (words.length > 5) return null;
    if (!words.every((w) => NAME_WORD.test(w.replace(HONORIFIC, 'X')))) return null;
  }
  // `(tổng hợp)` says how the text was made, not who made it.
  return core;
}

/** `Theo Lê Minh` credits a person (an author); `Theo Báo Quảng Trị` a source. */
function creditedPerson(text: string, folded: string): string | null {
  const match = /^[([]?\s*theo\s*[:：]?\s+(.+?)[)\]]?$/.exec(folded);
  if (!match?.[1] || ORGANISATION_WORDS.test(match[1])) return null;
  return personName(text.slice(folded.length - match[1].length).replace(/[)\]]$/, ''));
}

/** A name alone, or after a byline prefix (`Tác giả: …`, `Bài, ảnh: …`, `Bởi …`, `Theo …`). */
export function bylineName(raw: string): string | null {
  const text = clean(raw);
  const folded = foldVietnamese(text);
  const prefixed = BYLINE_PREFIX.exec(folded);
  if (prefixed) return personName(text.slice(folded.length - (prefixed[1] ?? prefixed[2] ?? '').length));
  return creditedPerson(text, folded) ?? personName(text);
}

/** `Theo Báo Quảng Trị` → `Báo Quảng Trị`. */
export function sourceCredit(raw: string): string | null {
  const text = clean(raw);
  if (text.length > 90) return null;
  const folded = foldVietnamese(text);
  if (creditedPerson(text, folded)) return null;
  const match = SOURCE_CREDIT.exec(folded);
  if (!match?.[1]) return null;
  const start = folded.indexOf(match[1]);
  const value = text
    .slice(start, start + match[1].length)
    .replace(/[)\].\s]+$/, '')
    .trim();
  return value.length >= 2 ? value : null;
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

/** `Nguồn tin: …` printed outside the body (NukeViet prints it under the body). */
export function findSourceLine(body: Element, title: Element | null, order: Map<unknown, number>, lengths: Lengths): Found<string> | null {
  const titleIndex = title ? (order.get(title) ?? -1) : -1;
  const list = descendants(body);
  // Order indexes grow along the list: what follows the title is its tail.
  for (let i = positionOf(list, order, titleIndex); i < list.length; i++) {
    const el = list[i]!;
    const len = lengths.get(el)?.len ?? 0;
    if (len < 6 || len > 90 || hasBlockChild(el)) continue;
    // SOURCE_LINE needs a colon, which folding neither adds nor removes.
    if (!/^[\s([]*[nNtT]/.test(leadingText(el)) || !someText(el, hasAnyColon)) continue;
    const text = textOf(el);
    if (!SOURCE_LINE.test(foldVietnamese(text))) continue;
    if (someAncestor(el, inLinkOrChrome)) continue;
    const value = sourceCredit(text);
    if (value) return { value, rule: 'source-line', element: el };
  }
  return null;
}

const AUTHOR_HINT = /author|tac-?gia|byline|writer|nguoi-?viet|nguoi-?dang/i;
/** How a byline without an author hint opens, when it has no colon. */
const BYLINE_OPENING = /^(?:by|posted|bởi|theo|đ|v)/i;
const BYLINE_INITIAL = /^[bpđvt]/i;

export function authorFromStructured(data: StructuredData): Found<string> | null {
  const jsonAuthor = jsonText(data.article?.author);
  const fromJson = jsonAuthor ? jsonAuthor.split(/,\s*/).map(personName).filter(Boolean).join(', ') : '';
  if (fromJson) return { value: fromJson, rule: 'json-ld' };
  for (const key of ['author', 'article:author', 'dc.creator', 'byl']) {
    const value = metaValue(data, key);
    const name = value && !/^https?:/.test(value) ? personName(value.replace(/^by\s+/i, '')) : null;
    if (name) return { value: name, rule: `meta:${key}` };
  }
  return null;
}

/** A byline in the page: `rel=author`, an author-hinted element, or `Tác giả: …`. */
export function findByline(index: PageIndex, body: Element, lengths: Lengths): Found<string> | null {
  for (const el of index.authors) {
    const name = personName(textOf(el).replace(/^by\s+/i, ''));
    if (name) return { value: name, rule: 'rel-author', element: el };
  }
  for (const el of descendants(body)) {
    const len = lengths.get(el)?.len ?? 0;
    if (len === 0 || len > 80) continue;
    const authorHinted = hinted(el, AUTHOR_HINT);
    // tagDiv prints `<div class="td-author-by">Bởi</div> <a>name</a>` inside its author box.
    if (hasBlockChild(el) && !(authorHinted && len <= 60)) continue;
    const colon = !authorHinted && someText(el, hasColon);
    // Cheap gates before building and folding the text: a byline has a colon or opens with by/đăng/viết.
    if (!authorHinted && !colon && !BYLINE_INITIAL.test(firstShownChar(el))) continue;
    const text = textOf(el);
    if (!authorHinted && !colon && !BYLINE_OPENING.test(text)) continue;
    const folded = foldVietnamese(text);
    const prefixed = BYLINE_PREFIX.exec(folded);
    if (prefixed) {
      const start = folded.length - (prefixed[1] ?? prefixed[2] ?? '').length;
      const name = personName(text.slice(start));
      if (name) return { value: name, rule: 'byline', element: el };
    }
    const credited = creditedPerson(text, folded);
    if (credited) return { value: credited, rule: 'byline:theo', element: el };
    if (authorHinted) {
      const name = bylineName(text);
      if (name) return { value: name, rule: 'author-hint', element: el };
    }
  }
  return null;
}

const CRUMB_LINKS = new Set(['a', 'li']);
/** An element of a breadcrumb that holds one step's label. */
const crumbLabel = (e: Element): boolean => CRUMB_LINKS.has(tagOf(e)) || (tagOf(e) === 'span' && e.attribs.itemprop === 'name');

export function findSection(index: PageIndex, data: StructuredData, title: string, lengths: Lengths): Found<string> | null {
  const foldedTitle = fold(title);
  // The last label that names a section (the trail ends at the article's own section).
  const pick = (labels: string[]): string | null => {
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = clean(labels[i]!);
      if (label && label.length <= 80 && !BREADCRUMB_SKIP.test(fold(label)) && fold(label) !== foldedTitle) return label;
    }
    return null;
  };
  const fromJson = pick(data.breadcrumb);
  if (fromJson) return { value: fromJson, rule: 'json-ld:breadcrumb' };
  const section = metaValue(data, 'article:section') ?? jsonText(data.article?.articleSection);
  if (section) return { value: section, rule: 'article:section' };
  const crumb = index.crumbs[0];
  if (crumb) {
    const links = descendants(crumb).filter((e) => crumbLabel(e) && !e.children.some((c) => CRUMB_LINKS.has(tagOf(c))));
    const labels = links.length >= 1 ? links.map(textOf) : textOf(crumb).split(/\s*[>»›/|]\s*/);
    const value = pick(labels);
    if (value) return { value, rule: 'breadcrumb', element: crumb };
  }
  const textual = breadcrumbByText(index, lengths);
  const value = textual ? pick(textual.labels) : null;
  return value && textual ? { value, rule: 'breadcrumb-text', element: textual.element } : null;
}

const TRAIL_TAGS = new Set(['p', 'div', 'ol', 'ul', 'span', 'td', 'nav']);
const TRAIL_START = /^(?:trang chu|home|trang nhat)\b/;
const NOT_TRAIL_PARENTS = new Set([...CHROME, 'header']);
const inHeaderOrChrome = (el: Element): boolean => NOT_TRAIL_PARENTS.has(tagOf(el));

/** Links inside `el`, counted up to `max`. */
function countLinks(el: Element, max: number): number {
  let count = 0;
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (tagOf(child) === 'a') count++;
    if (count < max) count += countLinks(child, max - count);
    if (count >= max) return max;
  }
  return count;
}

/** Without class names: a short run of 2–4 links that starts at the home page (`Trang chủ > … > Section`). */
function breadcrumbByText(index: PageIndex, lengths: Lengths): { labels: string[]; element: Element } | null {
  const body = tagged(index, 'body')[0];
  if (!body) return null;
  for (const el of descendants(body)) {
    const len = lengths.get(el)?.len ?? 0;
    if (len < 8 || len > 150 || !TRAIL_TAGS.has(tagOf(el)) || someAncestor(el, inHeaderOrChrome)) continue;
    const count = countLinks(el, 5);
    if (count < 2 || count > 4) continue;
    const links = descendants(el).filter((d) => tagOf(d) === 'a');
    const text = textOf(el);
    if (text.length > 150 || !TRAIL_START.test(foldVietnamese(text))) continue;
    // A top menu also starts at home; `·` and `•` separate menu items, never the steps of a trail.
    if (/[·•]/.test(text)) continue;
    const labels = links.map(textOf);
    const linkText = labels.join('').replace(/\s+/g, '').length;
    if (text.replace(/[\s>»›/|]+/g, '').length > linkText + 2) continue;
    return { labels, element: el };
  }
  return null;
}

const REL_TAG = /(?:^|\s)tag(?:\s|$)/i;

export function findKeywords(index: PageIndex, data: StructuredData): Found<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (values: string[], rule: string, rules: Set<string>): void => {
    for (const v of values.map(clean)) {
      if (v && v.length <= 80 && !seen.has(v.toLowerCase())) {
        seen.add(v.toLowerCase());
        out.push(v);
        rules.add(rule);
      }
    }
  };
  const rules = new Set<string>();
  add(metaValues(data, 'article:tag'), 'article:tag', rules);
  add(jsonList(data.article?.keywords), 'json-ld', rules);
  add(
    tagged(index, 'a')
      .filter((a) => a.attribs.rel !== undefined && REL_TAG.test(a.attribs.rel))
      .map(textOf),
    'rel-tag',
    rules,
  );
  return { value: out, rule: [...rules].join('+') || 'none' };
}

function timeAttr(index: PageIndex, hint: RegExp, fallback: boolean): string | null {
  const times = tagged(index, 'time').filter((t) => t.attribs.datetime);
  const hinted = times.find((t) => hint.test(`${t.attribs.class ?? ''} ${t.attribs.itemprop ?? ''}`));
  // Unhinted: the one inside <article>, or the page's only one (WordPress prints `<span class="posted-on"><time>`).
  const chosen =
    hinted ??
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

/**
 * Last resort when neither <title> nor a heading names the article: the short line just above the
 * article text (a `p` or `div` of any class), which is where every family prints its title.
 */
export function titleBeforeBody(best: Element | null, order: Map<AnyNode, number>, lengths: Lengths, now: Date): Found<string> | null {
  if (!best) return null;
  const anchor = [best, ...descendants(best)].find((el) => (lengths.get(el)?.len ?? 0) >= 80 && !hasBlockChild(el));
  const anchorIndex = anchor ? (order.get(anchor) ?? -1) : -1;
  if (anchorIndex < 0) return null;
  const before = [...order.entries()].filter(([el, i]) => i < anchorIndex && i >= anchorIndex - 25 && isElement(el)).sort((a, b) => b[1] - a[1]);
  for (const [node] of before) {
    const el = node as Element;
    const len = lengths.get(el)?.len ?? 0;
    if (len < 15 || len > 250 || hasBlockChild(el) || someAncestor(el, (a) => CHROME.has(tagOf(a)) || tagOf(a) === 'a')) continue;
    if (descendants(el).some((d) => tagOf(d) === 'a') || tagOf(el) === 'a') continue;
    const text = textOf(el);
    if (atMostWords(text, 3) || /[.!?…:]$/.test(text) || parseDate(text, { now }) || BREADCRUMB_SKIP.test(fold(text))) continue;
    return { value: text, rule: 'line-before-body', element: el };
  }
  return null;
}
