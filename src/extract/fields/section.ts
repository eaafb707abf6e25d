/** The section: JSON-LD breadcrumb, article:section, a marked breadcrumb, or a trail of links from the home page. */
import { foldVietnamese } from '../../core/text.js';
import { type Element, type PageIndex, descendants, isElement, someAncestor, tagOf, tagged, textOf } from '../dom.js';
import { BREADCRUMB_SKIP } from '../markers.js';
import { type StructuredData, jsonText, metaValue } from '../structured.js';
import { type Found, type Lengths, CHROME, clean, fold, lengthOf } from './common.js';

/** A section label's length; an unmarked trail's length and its number of links. */
const SECTION = { maxLabelLength: 80, trail: { minLength: 8, maxLength: 150, minLinks: 2, maxLinks: 4, extraChars: 2 } } as const;

const CRUMB_LINKS = new Set(['a', 'li']);
/** An element of a breadcrumb that holds one step's label. */
const crumbLabel = (e: Element): boolean => CRUMB_LINKS.has(tagOf(e)) || (tagOf(e) === 'span' && e.attribs.itemprop === 'name');
const CRUMB_SEPARATORS = /\s*[>»›/|]\s*/;

const TRAIL_TAGS = new Set(['p', 'div', 'ol', 'ul', 'span', 'td', 'nav']);
const TRAIL_START = /^(?:trang chu|home|trang nhat)\b/;
/** A top menu also starts at home; `·` and `•` separate menu items, never the steps of a trail. */
const MENU_SEPARATORS = /[·•]/;
const NOT_TRAIL_PARENTS = new Set([...CHROME, 'header']);
const inHeaderOrChrome = (el: Element): boolean => NOT_TRAIL_PARENTS.has(tagOf(el));

export function findSection(index: PageIndex, data: StructuredData, title: string, lengths: Lengths): Found<string> | null {
  const foldedTitle = fold(title);
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
  const textual = breadcrumbByText(index, lengths);
  const value = textual ? pick(textual.labels) : null;
  return value && textual ? { value, rule: 'breadcrumb-text', element: textual.element } : null;
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

/** Without class names: a short run of links that starts at the home page (`Trang chủ > … > Section`). */
function breadcrumbByText(index: PageIndex, lengths: Lengths): { labels: string[]; element: Element } | null {
  const body = tagged(index, 'body')[0];
  if (!body) return null;
  const trail = SECTION.trail;
  for (const el of descendants(body)) {
    const len = lengthOf(lengths, el);
    if (len < trail.minLength || len > trail.maxLength || !TRAIL_TAGS.has(tagOf(el)) || someAncestor(el, inHeaderOrChrome)) continue;
    const count = countLinks(el, trail.maxLinks + 1);
    if (count < trail.minLinks || count > trail.maxLinks) continue;
    const links = descendants(el).filter((d) => tagOf(d) === 'a');
    const text = textOf(el);
    if (text.length > trail.maxLength || !TRAIL_START.test(foldVietnamese(text))) continue;
    if (MENU_SEPARATORS.test(text)) continue;
    const labels = links.map(textOf);
    // Nothing but the links' texts and the separators between them.
    const linkText = labels.join('').replace(/\s+/g, '').length;
    if (text.replace(/[\s>»›/|]+/g, '').length > linkText + trail.extraChars) continue;
    return { labels, element: el };
  }
  return null;
}
