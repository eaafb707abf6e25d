/**
 * The section: JSON-LD breadcrumb, article:section, a marked breadcrumb, a trail of links from the home page, or
 * the link to the folder of the article's URL (`/thoi-su/` for `/thoi-su/202408/slug/`).
 */
import { foldVietnamese } from '../../core/text.js';
import { type Element, type PageIndex, descendants, isElement, someAncestor, tagOf, tagged, textOf } from '../dom.js';
import { BREADCRUMB_SKIP, NEWS_ROOT_LABELS } from '../markers.js';
import { type StructuredData, jsonText, metaValue } from '../structured.js';
import { type Found, type Lengths, CHROME, atMostWords, clean, fold, lengthOf } from './common.js';

/** A section label's length; an unmarked trail's length and its number of links. */
const SECTION = {
  maxLabelLength: 80,
  trail: { minLength: 8, maxLength: 150, minLinks: 2, maxLinks: 4, emptyLinks: 2, extraChars: 2 },
  /** A folder link names a section in at most this many words (a longer text is a headline linking to it). */
  folderLabelWords: 6,
} as const;

const CRUMB_LINKS = new Set(['a', 'li']);
/** An element of a breadcrumb that holds one step's label. */
const crumbLabel = (e: Element): boolean => CRUMB_LINKS.has(tagOf(e)) || (tagOf(e) === 'span' && e.attribs.itemprop === 'name');
const CRUMB_SEPARATORS = /\s*(?:[>»›/|→]|::)\s*/;
/** What may stand between the links of an unmarked trail: white space and separators (`>`, `»`, `/`, `|`, `::`, `→`). */
const TRAIL_FILLER = /[\s>»›/|:→]+/g;
const TRAIL_EDGE = /^[\s>»›/|:→]+|[\s>»›/|:→]+$/g;

const TRAIL_TAGS = new Set(['p', 'div', 'ol', 'ul', 'span', 'td', 'nav']);
const TRAIL_START = /^(?:trang chu|home|trang nhat)\b/;
/** What may open a trail before its first link, folded. */
const TRAIL_LEAD = /^(?:ban dang o|ban o day|vi tri(?: hien tai)?|you are here|sie sind hier|vous etes ici)\s*[:：]?$/;
/** A top menu also starts at home; `·` and `•` separate menu items, never the steps of a trail. */
const MENU_SEPARATORS = /[·•]/;
const NOT_TRAIL_PARENTS = new Set([...CHROME, 'header']);
const inHeaderOrChrome = (el: Element): boolean => NOT_TRAIL_PARENTS.has(tagOf(el));

export function findSection(
  index: PageIndex,
  data: StructuredData,
  title: { text: string; element: Element | null },
  url: string,
  lengths: Lengths,
): Found<string> | null {
  const foldedTitle = fold(title.text);
  // The last label that names a section (the trail ends at the article's own section).
  const pick = (labels: string[]): string | null => {
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = clean(labels[i]!);
      if (!label || label.length > SECTION.maxLabelLength) continue;
      const folded = fold(label);
      if (!BREADCRUMB_SKIP.test(folded) && folded !== foldedTitle) return label;
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
    const labels = links.length >= 1 ? links.map(textOf) : textOf(crumb).split(CRUMB_SEPARATORS);
    const value = pick(labels);
    if (value) return { value, rule: 'breadcrumb', element: crumb };
  }
  let base: URL | null = null;
  try {
    base = new URL(url);
  } catch {
    // a page without a URL has no folders
  }
  const textual = breadcrumbByText(index, lengths, title.element, base);
  const value = textual ? pick(textual.labels) : null;
  if (value && textual) return { value, rule: 'breadcrumb-text', element: textual.element };
  const folder = base ? folderLink(index, base, foldedTitle) : null;
  return folder ? { value: folder, rule: 'url-folder-link' } : null;
}

/** The folder a link opens; a query (`/tin-tuc?chuyen-muc=van-hoa`) filters a listing and opens none. */
function folderOf(href: string, base: URL): { host: string; path: string } | null {
  try {
    const u = new URL(href, base);
    return u.search ? null : { host: u.host, path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return null;
  }
}

/**
 * No breadcrumb: a link whose target is a folder of the article's URL names its section (the category label above
 * the title, the menu entry). The deepest folder wins; the home page, the news listing and labels that are no section
 * do not count.
 */
function folderLink(index: PageIndex, base: URL, foldedTitle: string): string | null {
  const articlePath = base.pathname.replace(/\/+$/, '');
  let best: { label: string; depth: number } | null = null;
  for (const a of tagged(index, 'a')) {
    const href = a.attribs.href;
    if (!href || href.startsWith('#') || /^(?:javascript|mailto|tel):/i.test(href)) continue;
    const target = folderOf(href, base);
    if (!target || target.host !== base.host || !target.path || !articlePath.startsWith(`${target.path}/`)) continue;
    const depth = target.path.split('/').length;
    if (best && depth <= best.depth) continue;
    const label = clean(textOf(a));
    const folded = fold(label);
    if (!label || label.length > SECTION.maxLabelLength || !atMostWords(folded, SECTION.folderLabelWords)) continue;
    if (BREADCRUMB_SKIP.test(folded) || NEWS_ROOT_LABELS.test(folded) || folded === foldedTitle) continue;
    best = { label, depth };
  }
  return best?.label ?? null;
}

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

/** Links of a trail whose paths each extend the one before (`/kinh-te` then `/kinh-te/nong-nghiep`). */
function nestedPaths(links: Element[], base: URL | null): boolean {
  if (!base || links.length < 2) return false;
  let previous: string | null = null;
  for (const a of links) {
    const target = folderOf(a.attribs.href ?? '', base);
    if (!target || target.host !== base.host || !target.path) return false;
    if (previous !== null && !target.path.startsWith(`${previous}/`)) return false;
    previous = target.path;
  }
  return true;
}

/**
 * Without class names: a short run of links that starts at the home page (`Trang chủ > … > Section`) or whose
 * links each open a folder of the one before. A label may open it (`Bạn đang ở:`), and one unlinked step, the
 * current page, end it. A top menu (`Trang chủ | Giới thiệu | Liên hệ`) reads the same: of several, the last one
 * before the title is the trail.
 */
function breadcrumbByText(
  index: PageIndex,
  lengths: Lengths,
  titleEl: Element | null,
  base: URL | null,
): { labels: string[]; element: Element } | null {
  const body = tagged(index, 'body')[0];
  if (!body) return null;
  const trail = SECTION.trail;
  const titleIndex = titleEl ? (index.order.get(titleEl) ?? -1) : -1;
  let found: { labels: string[]; element: Element } | null = null;
  for (const el of descendants(body)) {
    if (found && (titleIndex < 0 || (index.order.get(el) ?? 0) > titleIndex)) break;
    const len = lengthOf(lengths, el);
    if (len < trail.minLength || len > trail.maxLength || !TRAIL_TAGS.has(tagOf(el)) || someAncestor(el, inHeaderOrChrome)) continue;
    // Counted with empty links (SharePoint's skip link, anchors), which the labels below leave out.
    const count = countLinks(el, trail.maxLinks + trail.emptyLinks + 1);
    if (count < trail.minLinks || count > trail.maxLinks + trail.emptyLinks) continue;
    const links = descendants(el).filter((d) => tagOf(d) === 'a' && textOf(d) !== '');
    if (links.length < trail.minLinks || links.length > trail.maxLinks) continue;
    const text = textOf(el);
    if (text.length > trail.maxLength || MENU_SEPARATORS.test(text)) continue;
    const labels = links.map(textOf);
    const last = labels[labels.length - 1]!;
    const first = text.indexOf(labels[0]!);
    const end = text.lastIndexOf(last) + last.length;
    if (first < 0 || end < first + last.length) continue;
    const head = text.slice(0, first).replace(TRAIL_FILLER, ' ').trim();
    if (head && !TRAIL_LEAD.test(foldVietnamese(head))) continue;
    // Nothing but the links' texts and the separators between them.
    const linkText = labels.join('').replace(TRAIL_FILLER, '').length;
    if (text.slice(first, end).replace(TRAIL_FILLER, '').length > linkText + trail.extraChars) continue;
    const tail = text.slice(end).replace(TRAIL_EDGE, '');
    if (tail.length > SECTION.maxLabelLength || /[:：]/.test(tail)) continue;
    // The first link's own text: icon separators (`<i class=…></i>`) leave no space after it in the whole text.
    if (!TRAIL_START.test(foldVietnamese(labels[0]!)) && !nestedPaths(links, base)) continue;
    found = { labels: tail ? [...labels, tail] : labels, element: el };
  }
  return found;
}
