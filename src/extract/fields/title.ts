/** The title: the heading that matches the page's reference titles (<title>, og:title, JSON-LD), with fallbacks. */
import { escapeRegExp, foldVietnamese } from '../../core/text.js';
import { parseDate } from '../dates.js';
import {
  type Element,
  type PageIndex,
  type TextReader,
  ancestors,
  descendants,
  hasBlockChild,
  isElement,
  someAncestor,
  tagOf,
  tagged,
  textOf as textOfNode,
} from '../dom.js';
import { BREADCRUMB_SKIP, GENERIC_PAGE_TITLES, META_LABEL, RELATED_MARKERS, SITE_NAME_HINTS } from '../markers.js';
import { type StructuredData, jsonText, metaValue } from '../structured.js';
import { type Found, type Lengths, type Order, CHROME, atMostWords, clean, fold, hinted, inChrome, lengthOf } from './common.js';

/** The title's thresholds: lengths in characters, similarities from 0 to 1. */
const TITLE = {
  minLength: 6,
  maxLength: 300,
  /** A heading is compared with a reference title when its length is within these factors of the reference's. */
  nearLength: [0.4, 2.5],
  /** A plain element (no heading tag, no title class) must be nearly the reference's length… */
  plainLength: [0.85, 1.2],
  /** …and nearly the same text; a heading needs half. */
  plainSimilarity: 0.9,
  headingSimilarity: 0.5,
  /** Scores this close are a tie, which the higher-ranked element wins. */
  tie: 0.05,
  /** Texts that share words without one holding the other score at most this much. */
  sharedWords: 0.8,
  /** A text of at most this many words that names a site is the site's name, not a headline mentioning it. */
  siteNameWords: 8,
  /**
   * A longer reference that names a site (`Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Trị`) may be either: it
   * counts only when a heading of at least this rank (h2–h4 2, h1 3) prints it; otherwise it is the title of last resort.
   */
  siteLikeRank: 2,
  /** A reference of at most this many words that is also a menu label or a logo names the site or a section. */
  labelWords: 4,
  linkLabelChars: 40,
  altLabelChars: 60,
  /** Without a reference: title-hinted elements and h2s shorter than this are box titles. */
  fallbackMinLength: 10,
  /** Without a reference, a title of at most this many words scores lower (box titles are short). */
  fallbackShortWords: 4,
  /** The last resort, a line just above the body text: how far above, its length, and how few words are no title. */
  beforeBody: { anchorMinLength: 80, window: 25, minLength: 15, maxLength: 250, fewWords: 3 },
} as const;

const TITLE_TAGS = new Set(['h1', 'h2', 'h3', 'h4']);
/** Box headings (`Tin xem nhiều`, `Tin liên quan`) are never an article's title. */
const RELATED_TITLES = new RegExp(`^(?:${RELATED_MARKERS.map(escapeRegExp).join('|')})$`);
const TITLE_HINT = /title|tieu-?de|headline|heading/i;
/** Elements a title is printed in without a heading tag or a title class. */
const PLAIN_TITLE_TAGS = new Set(['p', 'div', 'span', 'strong', 'b', 'td', 'a']);

// A separator starts with a space, `:` or `|`: the lookahead lets the scan skip every other character.
const TITLE_SEPARATORS = /(?=[\s:|])(?:\s+[-|–—:»·>]\s+|\s*::\s*|\s+\|\s*|\s*\|\s+)/;
/** Every separator holds one of these: a title without any is one part. */
const SEPARATOR_CHARS = /[-|–—:»·>]/;
/** A <title> printed as a path (`Site > Tin tức > Tin hoạt động`, DNN's default) names a page of the site, not an article. */
const PATH_SEPARATOR = /\s>\s/;

function titleParts(title: string): string[] {
  if (!SEPARATOR_CHARS.test(title)) return title.trim() ? [title.trim()] : [];
  return title
    .split(TITLE_SEPARATORS)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A short text that names a site (`Cổng TTĐT tỉnh Quảng Trị`), not a headline that mentions one; `folded` is its fold. */
const namesSiteBriefly = (text: string, folded: string): boolean =>
  SITE_NAME_HINTS.test(foldVietnamese(text)) && atMostWords(folded, TITLE.siteNameWords);

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
  return (TITLE.sharedWords * common) / Math.max(wa.size, wb.size);
}

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
function shortLabels(index: PageIndex, textOf: TextReader): Set<string> {
  const out = new Set<string>();
  for (const a of tagged(index, 'a')) {
    const text = textOf(a);
    if (text.length > 0 && text.length <= TITLE.linkLabelChars) out.add(fold(text));
  }
  for (const img of tagged(index, 'img')) {
    if (img.attribs.alt && img.attribs.alt.length <= TITLE.altLabelChars) out.add(fold(img.attribs.alt));
  }
  return out;
}

/**
 * A site or section name (what a <title> holds on pages that do not name the article there), or a short
 * reference that is also a menu link or a logo's alt text: either names the site or a section, not the article.
 */
function genericRef(labels: () => Set<string>, text: string, siteName: string | null): boolean {
  const f = fold(text);
  if ((siteName && f === fold(siteName)) || namesSiteBriefly(text, f) || GENERIC_PAGE_TITLES.test(f)) return true;
  return atMostWords(f, TITLE.labelWords) && labels().has(f);
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

/** `Site > Tin tức > Tin hoạt động`: a path whose every part after the first is a menu label or a site name. */
function isSitePath(labels: () => Set<string>, title: string, siteName: string | null): boolean {
  if (!PATH_SEPARATOR.test(title)) return false;
  const parts = titleParts(title);
  return parts.length >= 2 && parts.slice(1).every((p) => genericRef(labels, p, siteName));
}

interface TitleRef {
  text: string;
  rule: string;
  folded: string;
  words: Set<string>;
  /** Names a site at a headline's length: see TITLE.siteLikeRank. */
  siteLike: boolean;
}

/** The reference titles, without the parts and the titles that name the site or a menu entry. */
function usableRefs(data: StructuredData, siteName: string | null, labels: () => Set<string>): TitleRef[] {
  const out: TitleRef[] = [];
  const seen = new Set<string>();
  for (const ref of titleRefs(data)) {
    // og:title and <title> often read the same once the site name is gone: a repeated reference changes nothing.
    if (seen.has(ref.text)) continue;
    seen.add(ref.text);
    if (isSitePath(labels, ref.text, siteName)) continue;
    const text = dropGenericParts(labels, ref.text, siteName);
    const folded = fold(text);
    if (genericRef(labels, text, siteName)) continue;
    const siteLike = SITE_NAME_HINTS.test(foldVietnamese(text));
    out.push({ text, rule: ref.rule, folded, words: new Set(folded.split(' ')), siteLike });
  }
  return out;
}

function nearLength(refs: TitleRef[], len: number, [lo, hi]: readonly [number, number]): boolean {
  for (const ref of refs) if (len >= ref.text.length * lo && len <= ref.text.length * hi) return true;
  return false;
}

/** The element of a title's length that best matches a reference title. */
function matchingHeading(body: Element, refs: TitleRef[], lengths: Lengths, textOf: TextReader): { el: Element; rule: string } | null {
  let best: { el: Element; sim: number; rule: string; rank: number } | null = null;
  for (const el of descendants(body)) {
    // An h1 that is exactly the reference title cannot be outscored.
    if (best && best.sim === 1 && best.rank === 3) break;
    const len = lengthOf(lengths, el);
    // Only similar lengths are worth a look; plain elements must match a reference title almost exactly.
    if (len < TITLE.minLength || len > TITLE.maxLength || !nearLength(refs, len, TITLE.nearLength)) continue;
    const rank = titleRank(el);
    if (rank < 0 || (rank === 0 && !nearLength(refs, len, TITLE.plainLength)) || someAncestor(el, inChrome)) continue;
    const folded = fold(textOf(el));
    const needed = rank > 0 ? TITLE.headingSimilarity : TITLE.plainSimilarity;
    for (const ref of refs) {
      if (ref.siteLike && rank < TITLE.siteLikeRank) continue;
      // Shared words alone score at most TITLE.sharedWords: no plain element passes on that.
      if (rank === 0 && !ref.folded.includes(folded) && !folded.includes(ref.folded)) continue;
      const sim = similarity(folded, ref.folded, ref.words);
      if (sim < needed) continue;
      if (!best || sim > best.sim + TITLE.tie || (Math.abs(sim - best.sim) <= TITLE.tie && rank > best.rank))
        best = { el, sim, rule: `heading~${ref.rule}`, rank };
    }
  }
  return best;
}

/** The heading that best matches <title>/og:title/JSON-LD; else the structured title; else the first h1. */
export function findTitle(
  index: PageIndex,
  body: Element,
  data: StructuredData,
  lengths: Lengths,
  textOf: TextReader = textOfNode,
): Found<string> | null {
  const siteName = metaValue(data, 'og:site_name');
  let memo: Set<string> | null = null;
  const labels = (): Set<string> => (memo ??= shortLabels(index, textOf));
  const refs = usableRefs(data, siteName, labels);
  const best = refs.length > 0 ? matchingHeading(body, refs, lengths, textOf) : null;
  if (best) return { value: textOf(best.el), rule: best.rule, element: best.el };
  const ref = refs.find((r) => !r.siteLike);
  if (ref) return { value: clean(ref.text), rule: ref.rule, element: null };
  // A site-like reference no heading prints is left to the last resort (anyRefTitle), after the line above the text.
  return firstHeading(index, body, lengths, (text) => genericRef(labels, text, siteName), textOf);
}

/** The last resort: a reference title even if it looks like a site or menu name, rather than no title at all. */
export function anyRefTitle(data: StructuredData): Found<string> | null {
  const ref = titleRefs(data)[0];
  return ref ? { value: clean(ref.text), rule: `${ref.rule}:last-resort`, element: null } : null;
}

const isOrInLink = (el: Element): boolean => tagOf(el) === 'a' || someAncestor(el, (a) => tagOf(a) === 'a');
/** A heading that is all one link (`<h3 class="title"><a href=…>`) is a listed headline: it titles the page it opens. */
function linkedHeadline(el: Element, textOf: TextReader): boolean {
  const links = descendants(el).filter((d) => tagOf(d) === 'a');
  return links.length === 1 && textOf(links[0]!) === textOf(el);
}

/** No usable reference: the first h1, a title-hinted element, then an h2, outside the page chrome. */
function firstHeading(
  index: PageIndex,
  body: Element,
  lengths: Lengths,
  generic: (text: string) => boolean,
  textOf: TextReader,
): Found<string> | null {
  // A <header> inside an <article> (WordPress) holds the title; the page's own header holds the site name.
  const outsideChrome = (el: Element): boolean => {
    const chain = ancestors(el);
    const inArticle = chain.some((a) => tagOf(a) === 'article' || tagOf(a) === 'main');
    return !chain.some((a) => CHROME.has(tagOf(a)) || (tagOf(a) === 'header' && !inArticle));
  };
  const fits = (el: Element): boolean => {
    const len = lengthOf(lengths, el);
    const text = textOf(el);
    // A text ending in a colon labels what follows (`Các bài viết khác trong chuyên mục này:`).
    return (
      len >= TITLE.minLength &&
      len <= TITLE.maxLength &&
      outsideChrome(el) &&
      !generic(text) &&
      !RELATED_TITLES.test(fold(text)) &&
      !/[:：]$/.test(text)
    );
  };
  const longEnough = (el: Element): boolean => lengthOf(lengths, el) >= TITLE.fallbackMinLength;
  // Box titles of sidebars are short and often upper case; an article title is a sentence-length line.
  const pool: Array<[Element, string, number]> = [
    ...tagged(index, 'h1').map((el): [Element, string, number] => [el, 'h1', 3]),
    ...descendants(body)
      // A title-hinted link (`a.itemRelTitle`, a related post) titles the page it opens.
      .filter(
        (el) =>
          tagOf(el) !== 'h1' &&
          tagOf(el) !== 'h2' &&
          hinted(el, TITLE_HINT) &&
          longEnough(el) &&
          titleRank(el) >= 0 &&
          !isOrInLink(el) &&
          !linkedHeadline(el, textOf),
      )
      .map((el): [Element, string, number] => [el, 'title-hint', 2]),
    ...tagged(index, 'h2')
      .filter((el) => longEnough(el) && !linkedHeadline(el, textOf))
      .map((el): [Element, string, number] => [el, 'h2', 1]),
  ];
  let pick: { el: Element; rule: string; score: number } | null = null;
  for (const [el, rule, rank] of pool) {
    if (!fits(el)) continue;
    const text = textOf(el);
    const score = rank + (atMostWords(text, TITLE.fallbackShortWords) ? 0 : 2) - (text === text.toUpperCase() ? 3 : 0);
    if (!pick || score > pick.score) pick = { el, rule, score };
  }
  if (pick) return { value: textOf(pick.el), rule: pick.rule, element: pick.el };
  return null;
}

/**
 * Last resort when neither <title> nor a heading names the article: the short line just above the
 * article text (a `p` or `div` of any class), which is where every family prints its title.
 */
export function titleBeforeBody(
  best: Element | null,
  order: Order,
  lengths: Lengths,
  now: Date,
  textOf: TextReader = textOfNode,
): Found<string> | null {
  if (!best) return null;
  const near = TITLE.beforeBody;
  const anchor = [best, ...descendants(best)].find((el) => lengthOf(lengths, el) >= near.anchorMinLength && !hasBlockChild(el));
  const anchorIndex = anchor ? (order.get(anchor) ?? -1) : -1;
  if (anchorIndex < 0) return null;
  const before = [...order.entries()]
    .filter(([el, i]) => i < anchorIndex && i >= anchorIndex - near.window && isElement(el))
    .sort((a, b) => b[1] - a[1]);
  for (const [node] of before) {
    const el = node as Element;
    const len = lengthOf(lengths, el);
    if (len < near.minLength || len > near.maxLength || hasBlockChild(el) || someAncestor(el, (a) => CHROME.has(tagOf(a)) || tagOf(a) === 'a'))
      continue;
    if (descendants(el).some((d) => tagOf(d) === 'a') || tagOf(el) === 'a') continue;
    const text = textOf(el);
    const folded = fold(text);
    // Nor the furniture beside the date line (`Số lượt xem: 402`).
    if (
      atMostWords(text, near.fewWords) ||
      /[.!?…:]$/.test(text) ||
      parseDate(text, { now }) ||
      BREADCRUMB_SKIP.test(folded) ||
      META_LABEL.test(folded)
    )
      continue;
    return { value: text, rule: 'line-before-body', element: el };
  }
  return null;
}
