/**
 * The last resort when neither our density pick nor the second opinion gives a body: the page's paragraphs (p, pre,
 * blockquote) outside page chrome, in document order, cleaned as a body is (trafilatura's baseline idea). Inspect
 * names it `paragraphs:last-resort`.
 */
import { computeStats, removeBoilerplate, removeRelated } from './content.js';
import { type Element, createElement, hasDescendant, indexPage, someAncestor, tagOf, tagged, textOf } from './dom.js';
import { parseDocument } from './parse.js';
import { sanitizeTree } from './sanitize.js';
import { plainText } from './text.js';

/** Named thresholds (characters of collapsed text). */
export const BASELINE = {
  /** A paragraph shorter than this is a label or a caption, not text. */
  paragraph: 20,
} as const;

const PARAGRAPHS = new Set(['p', 'pre', 'blockquote']);
/** Page chrome; not <form>, as ASP.NET wraps the whole page in one. */
const CHROME = new Set(['nav', 'aside', 'footer', 'header', 'menu', 'dialog']);
const ARTICLE_TAGS = ['h1', 'article', 'main'];

export interface Baseline {
  root: Element;
  text: string;
}

/** The page's own paragraphs as a body, on a fresh parse of the page (extraction has cut up its own tree by now). */
export function paragraphBaseline(html: string, baseUrl: string): Baseline | null {
  const index = indexPage(parseDocument(html));
  // Inside page chrome, or inside another collected paragraph (a quote's own <p>s come with it). Chrome holding the
  // headline or the article element is a tag left open around the rest of the page: no chrome.
  const skipped = (el: Element): boolean =>
    someAncestor(el, (a) => PARAGRAPHS.has(tagOf(a)) || (CHROME.has(tagOf(a)) && !ARTICLE_TAGS.some((tag) => hasDescendant(a, tag))));
  const candidates = [...PARAGRAPHS]
    .flatMap((tag) => tagged(index, tag))
    .filter((el) => index.order.has(el) && !skipped(el) && textOf(el).length >= BASELINE.paragraph)
    .sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
  // A teaser printed again as the article's first paragraph counts once.
  const seen = new Set<string>();
  const kept = candidates.filter((el) => !seen.has(textOf(el)) && !!seen.add(textOf(el)));
  if (!kept.length) return null;
  const root = createElement('div', {}, kept);
  const stats = computeStats(root);
  removeRelated(root, stats);
  removeBoilerplate(root, stats);
  sanitizeTree({ baseUrl }, root);
  const text = plainText(root);
  return text ? { root, text } : null;
}
