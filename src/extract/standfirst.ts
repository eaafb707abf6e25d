/**
 * The standfirst: a lead paragraph printed between the title and the body container (in the article's header, an
 * intro box), outside the block the density pick chose. It is article text, so it belongs in `text`. Read in two
 * steps: prose blocks after the title before chrome is pruned (pruning detaches headers, and with them the ancestry
 * that tells chrome from header), then, once the body is known, those that sit before where it starts.
 */
import { collapseWhitespace } from '../core/text.js';
import { prunedKind } from './content.js';
import {
  type Element,
  type PageIndex,
  type TextReader,
  ancestors,
  contains,
  descendants,
  hasBlockChild,
  hintOf,
  isElement,
  tagOf,
  textOf,
} from './dom.js';
import { type LineFolder, foldLine } from './fold.js';
import { META_LABEL } from './markers.js';

/** Named thresholds (characters of text). */
export const STANDFIRST = {
  /** A standfirst is prose: at least this long, or `sentence` long when it ends as a sentence does. */
  minLength: 80,
  sentence: 40,
  maxLength: 1500,
  /** Share of its text in links above which a block is a teaser or a link list, not a lead. */
  maxLinkShare: 0.2,
  /** Text of other blocks (byline, date, captions, tool bars) met after the title beyond which the scan stops. */
  reach: 2000,
  /** Blocks taken at most: an article's opening paragraphs printed in a container of their own count too (3 scored 5 wanted snippets fewer, none unwanted). */
  maxBlocks: 5,
  /** Levels of ancestors whose class/id is read for NOT_LEAD_HINT. */
  hintDepth: 5,
} as const;

/** Tags a standfirst block may have, when it holds no other block. */
const PROSE_TAGS = new Set(['p', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'span', 'strong', 'em', 'b']);
/** Ancestors that make a block something else than a lead: page chrome (a header is not), a caption, a control. */
const NOT_LEAD_ANCESTORS = new Set([
  'a',
  'nav',
  'aside',
  'footer',
  'form',
  'menu',
  'dialog',
  'figure',
  'figcaption',
  'button',
  'label',
  'select',
  'li',
  'table',
  'blockquote',
]);

/**
 * Class/id words of an ancestor (up to `STANDFIRST.hintDepth` levels) that mark an author box, a caption, a footer,
 * a teaser list or a notice: prose there is no lead.
 */
const NOT_LEAD_HINT =
  /author|\bbio|byline|caption|credit|copyright|footer|sidebar|comment|related|promo|advert|sponsor|share|social|widget|tooltip|disclaimer|disclosure|newsletter|subscribe|cookie|consent|paywall/;

const PAGE_CONTAINERS = new Set(['article', 'main', 'body']);

function linkShare(el: Element, len: number, text: TextReader): number {
  let links = 0;
  for (const a of descendants(el)) if (tagOf(a) === 'a') links += text(a).length;
  return len ? links / len : 0;
}

function isProse(el: Element, text: string, title: string, textOfLink: TextReader, fold: LineFolder): boolean {
  const len = text.length;
  if (len > STANDFIRST.maxLength || text === title) return false;
  if (len < STANDFIRST.minLength && !(len >= STANDFIRST.sentence && /[.!?…"“”»«)]$/.test(text))) return false;
  if (linkShare(el, len, textOfLink) > STANDFIRST.maxLinkShare) return false;
  const folded = fold(text);
  return !META_LABEL.test(folded) && prunedKind(folded, len) === null;
}

/** The innermost block holding text: a `<div>` with a `<p>` inside counts through its `<p>`. */
function isLeafBlock(el: Element): boolean {
  if (!PROSE_TAGS.has(tagOf(el)) || hasBlockChild(el)) return false;
  // An inline element counts only as the block's sole content (`<div><strong>…</strong></div>` is the div's).
  return !['span', 'strong', 'em', 'b'].includes(tagOf(el)) || !el.parent || !isElement(el.parent) || hasBlockChild(el.parent);
}

/** Inside chrome, a caption, a control, or a box the page marks as no article text. */
function isChrome(el: Element, above: Element[]): boolean {
  if (above.some((a) => NOT_LEAD_ANCESTORS.has(tagOf(a)))) return true;
  // An <article>'s or <body>'s classes name the post's author and tags (WordPress): no box there.
  return [el, ...above.slice(0, STANDFIRST.hintDepth)].some((a) => !PAGE_CONTAINERS.has(tagOf(a)) && NOT_LEAD_HINT.test(hintOf(a)));
}

/**
 * A prose block after the title, and the `<article>` it sits in when that does not hold the title (read before
 * cleaning detaches the title): another article's teaser unless it holds the body.
 */
export interface Candidate {
  el: Element;
  otherArticle: Element | null;
}

/**
 * Prose blocks after the title, in document order, before any cleaning. `known` are the elements other fields took
 * (date line, byline, source line, breadcrumbs): neither they nor blocks around them are a lead.
 */
export function standfirstCandidates(
  index: PageIndex,
  titleEl: Element | null,
  known: Array<Element | null | undefined>,
  textOfBlock: TextReader = textOf,
  fold: LineFolder = foldLine,
): Candidate[] {
  const start = titleEl ? index.order.get(titleEl) : undefined;
  if (!titleEl || start === undefined) return [];
  const title = textOfBlock(titleEl);
  const taken = known.filter((e): e is Element => !!e);
  const out: Candidate[] = [];
  let other = 0;
  let i = 0;
  for (const node of index.order.keys()) {
    const el = node as Element;
    if (i++ <= start || contains(titleEl, el)) continue;
    if (!isLeafBlock(el)) continue;
    const text = textOfBlock(el);
    if (!text) continue;
    const above = ancestors(el);
    if (!isChrome(el, above) && !taken.some((k) => contains(k, el) || contains(el, k)) && isProse(el, text, title, textOfBlock, fold)) {
      const article = above.find((a) => tagOf(a) === 'article');
      out.push({ el, otherArticle: article && !contains(article, titleEl) ? article : null });
      if (out.length >= STANDFIRST.maxBlocks * 4) break;
    } else if ((other += text.length) > STANDFIRST.reach) break;
  }
  return out;
}

/** The candidates that sit before the body starts and outside it: the standfirst, in order. */
export function takeStandfirst(candidates: Candidate[], root: Element, index: PageIndex, titleEl: Element | null): Element[] {
  const titleAt = titleEl ? (index.order.get(titleEl) ?? -1) : -1;
  let bodyStart = Infinity;
  for (const el of descendants(root)) {
    const at = index.order.get(el);
    if (at !== undefined && at > titleAt) {
      bodyStart = at;
      break;
    }
  }
  const picked: Element[] = [];
  for (const { el, otherArticle } of candidates) {
    if ((index.order.get(el) ?? Infinity) >= bodyStart || contains(root, el)) continue;
    if (otherArticle && !contains(otherArticle, root)) continue;
    picked.push(el);
    if (picked.length >= STANDFIRST.maxBlocks) break;
  }
  return picked;
}

/** For a body from another tree: the candidates before the first one whose text the body holds (none when it holds none). */
export function standfirstByText(candidates: Candidate[], bodyText: string): Element[] {
  const body = collapseWhitespace(bodyText);
  const start = candidates.findIndex(({ el }) => body.includes(textOf(el)));
  if (start <= 0) return [];
  return candidates
    .slice(0, start)
    .filter(({ otherArticle }) => !otherArticle)
    .map(({ el }) => el)
    .slice(0, STANDFIRST.maxBlocks);
}
