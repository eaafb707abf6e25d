/**
 * Body choice: our density pick, or a second opinion (Readability.js over linkedom) when ours is missing or weak.
 * A body holding most of the page's text and prose is trusted without asking (the Readability pass costs more than
 * our whole extraction). The second opinion is cleaned like ours and stripped of the lines the other fields took,
 * then compared by length and by its share of fragment lines.
 */
import { computeStats, removeBoilerplate, removeRelated } from './content.js';
import {
  type Element,
  type PageIndex,
  type TextReader,
  descendants,
  elementChildren,
  hasBlockChild,
  hintOf,
  isElement,
  removeNode,
  tagOf,
  tagged,
  textOf,
} from './dom.js';
import { bylineName, sourceCredit } from './fields.js';
import { foldLine as fold } from './fold.js';
import { POSITIVE_HINT } from './markers.js';
import { sanitizeTree } from './sanitize.js';
import { readabilityBody } from './second-opinion.js';
import { plainText } from './text.js';

/** Named thresholds of the choice (characters of plain text). */
export const BODY_CHOICE = {
  /**
   * Ours is trusted as it is, with no second opinion asked (rule `…:trusted`), when it holds at least `pageShare` of
   * the page's text and `proseShare` of the prose in the page's `<p>` elements, and those paragraphs hold at least
   * `paragraphsHold` of our prose (a page writing its text outside `<p>` says nothing by its paragraphs). The second
   * opinion wins where ours misses prose the page has. Grid on the trafilatura set (990 pages): 68 % of pages trusted,
   * F 0.9063 → 0.9043 against asking on every page (−0.0003 on every third page, −0.0028 on the others); 0.25/0.65
   * trusted 60 % for −0.0010, 0.1/0.55 70 % for −0.0024. Our length alone or its fragment share predicted worse.
   */
  trusted: { pageShare: 0.1, proseShare: 0.6, paragraphsHold: 0.3 },
  /**
   * Class/id hints of the regions whose `<p>`s are not the page's prose (readers' comments, related stories, a sidebar;
   * Readability skips them alike) unless a POSITIVE_HINT marks the region too. Full corpus F 0.9322 -> 0.9324 (even
   * pages 0.9258 -> 0.9261, odd 0.9386 -> 0.9386), pages trusted 680 -> 697; fixture pages asking Readability 3 -> 2.
   */
  asideHint: /comment|disqus|replies|related|sidebar|community/,
  /**
   * Ours is kept with no second opinion asked (rule `…:unbeatable`) when the page's whole text is at most this share of
   * our prose: ours came from structured data (JSON-LD's articleBody) and an opinion read from the page could be
   * neither longer nor hold as much prose (corpus: an opinion's text is at most 1.42×, its prose 0.95× the page's
   * text; no corpus page is unbeatable, the fixture page script-rendered is: 4 Readability passes, ~6 ms, saved).
   */
  unbeatable: 0.5,
  /** The second opinion replaces ours when it is this many times longer (1.2 scored above 1.1, 1.5 and 2). */
  longerBy: 1.2,
  /** A line shorter than this is a fragment (menu entry, caption, share label), one at least `paragraph` long is prose. */
  fragment: 50,
  paragraph: 80,
  /**
   * Ours with more than this share of fragment lines gives way to a second opinion holding at least `proseKept` of its
   * prose: chrome came along with the article (0.3 and 0.8 scored best on the trafilatura set, F +0.005 offline).
   */
  fragmentShare: 0.3,
  proseKept: 0.8,
} as const;

/** What the whole page offers, read before the body is cut out: its text length and the prose in its `<p>`s. */
export interface PageText {
  length: number;
  prose: number;
}

/** Characters in the paragraphs at least `BODY_CHOICE.paragraph` long. */
export function paragraphProse(paragraphs: Element[], text: TextReader = textOf): number {
  return paragraphs.map((p) => text(p).length).reduce((sum, n) => (n >= BODY_CHOICE.paragraph ? sum + n : sum), 0);
}

function isAside(el: Element): boolean {
  const hint = hintOf(el);
  return BODY_CHOICE.asideHint.test(hint) && !POSITIVE_HINT.test(hint);
}

/** The prose of the page's `<p>`s outside aside regions (`BODY_CHOICE.asideHint`). */
export function pageProse(index: PageIndex, text: TextReader = textOf): number {
  // Paragraphs share their ancestors: each element's answer is worked out once, from its parent's.
  const inAside = new Map<Element, boolean>();
  const asideOrInAside = (el: Element): boolean => {
    let answer = inAside.get(el);
    if (answer === undefined) inAside.set(el, (answer = isAside(el) || (isElement(el.parent) && asideOrInAside(el.parent))));
    return answer;
  };
  return paragraphProse(
    tagged(index, 'p').filter((p) => !asideOrInAside(p)),
    text,
  );
}

interface Shape {
  fragmentShare: number;
  prose: number;
}

function shapeOf(text: string): Shape {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fragments = lines.filter((l) => l.length < BODY_CHOICE.fragment).length;
  const prose = lines.filter((l) => l.length >= BODY_CHOICE.paragraph).reduce((sum, l) => sum + l.length, 0);
  return { fragmentShare: lines.length ? fragments / lines.length : 0, prose };
}

/** Ours is choppy and the other keeps nearly all of its prose without the fragments. */
function cleanerThan(other: string, ours: string): boolean {
  const [a, b] = [shapeOf(ours), shapeOf(other)];
  return a.fragmentShare > BODY_CHOICE.fragmentShare && b.fragmentShare < a.fragmentShare && b.prose >= a.prose * BODY_CHOICE.proseKept;
}

export interface BodyCandidate {
  root: Element;
  text: string;
  /** Kinds of PRUNED_LINES cleaning took out of it. */
  pruned?: Set<string>;
}

export interface Choice {
  body: BodyCandidate | null;
  /** `density`, `readability:<why>`, … as shown in inspect's `rules.body`. */
  rule: string;
}

/** Lines the other fields took (title, date line, byline, source line): a second opinion keeps its own copy of them. */
function dropKnownLines(root: Element, known: string[]): void {
  const keys = new Set(known.map(fold).filter((k) => k.length > 0));
  if (!keys.size) return;
  for (const el of descendants(root)) {
    if (el.parent && !hasBlockChild(el) && keys.has(fold(textOf(el)))) removeNode(el);
  }
}

/** Readability's body, cleaned as ours is. */
export function secondOpinion(html: string, baseUrl: string, known: string[]): BodyCandidate | null {
  const opinion = readabilityBody(html);
  if (!opinion) return null;
  const { root } = opinion;
  const stats = computeStats(root);
  removeRelated(root, stats);
  const pruned = new Set<string>();
  removeBoilerplate(root, stats, pruned);
  dropKnownLines(root, known);
  sanitizeTree({ baseUrl }, root);
  const text = plainText(root);
  return text ? { root, text, pruned } : null;
}

/** Whether the body ends as Vietnamese articles do: the author's name or a source credit on the last line. */
function endsWithCredit(root: Element): boolean {
  const blocks = elementChildren(root);
  const last = blocks[blocks.length - 1];
  if (!last || tagOf(last) !== 'p') return false;
  const text = textOf(last);
  return text.length <= 80 && (bylineName(text) !== null || sourceCredit(text) !== null);
}

/** Ours holds most of what the page has, so a second opinion could hardly find more. */
function trusted(ours: BodyCandidate, page: PageText): boolean {
  const { pageShare, proseShare, paragraphsHold } = BODY_CHOICE.trusted;
  const { prose } = shapeOf(ours.text);
  return ours.text.length >= page.length * pageShare && prose >= page.prose * proseShare && page.prose >= prose * paragraphsHold;
}

/** The page's own text is too short for a second opinion read from it to win (`BODY_CHOICE.unbeatable`). */
function unbeatable(ours: BodyCandidate, page: PageText): boolean {
  return page.length <= shapeOf(ours.text).prose * BODY_CHOICE.unbeatable;
}

/**
 * Keeps ours when it ends with a credit, holds most of the page or more than the page shows (nothing asked); otherwise
 * asks for a second opinion (`ask` is null where none may be asked: a configured body selector, a listing's teaser)
 * and takes it when ours is missing, or the other is much longer, or ours is choppy and the other keeps its prose.
 */
export function chooseBetween(ours: BodyCandidate | null, oursRule: string, page: PageText, ask: (() => BodyCandidate | null) | null): Choice {
  const oursLength = ours?.text.length ?? 0;
  if (ours && endsWithCredit(ours.root)) return { body: ours, rule: `${oursRule}:ends-with-credit` };
  if (!ask) return { body: ours, rule: oursRule };
  if (ours && trusted(ours, page)) return { body: ours, rule: `${oursRule}:trusted` };
  if (ours && unbeatable(ours, page)) return { body: ours, rule: `${oursRule}:unbeatable` };
  const other = ask();
  if (!other) return { body: ours, rule: oursRule };
  if (!oursLength) return { body: other, rule: `readability:instead-of-${oursRule}` };
  if (other.text.length >= oursLength * BODY_CHOICE.longerBy) return { body: other, rule: `readability:longer-than-${oursRule}` };
  if (ours && cleanerThan(other.text, ours.text)) return { body: other, rule: `readability:fewer-fragments-than-${oursRule}` };
  return { body: ours, rule: oursRule };
}
