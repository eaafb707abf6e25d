/**
 * Body choice: our density pick, or a second opinion (Readability.js over linkedom) when ours is missing or weak.
 * The second opinion is cleaned like ours and stripped of the lines the other fields took, then compared by length.
 */
import { foldVietnamese } from '../core/text.js';
import { computeStats, removeBoilerplate, removeRelated } from './content.js';
import { type Element, descendants, elementChildren, hasBlockChild, removeNode, tagOf, textOf } from './dom.js';
import { bylineName, sourceCredit } from './fields.js';
import { squeezeSpaces } from './fold.js';
import { sanitizeTree } from './sanitize.js';
import { readabilityBody } from './second-opinion.js';
import { plainText } from './text.js';

/** Named thresholds of the choice (characters of plain text). */
export const BODY_CHOICE = {
  /**
   * Our body at least this long is trusted as it is: no second opinion is asked. On the trafilatura set, asking on
   * every page scored best (F 0.880 against 0.840 with 2,000 on a 124-page sample): density alone misses too often.
   */
  trustedLength: Infinity,
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
}

export interface Choice {
  body: BodyCandidate | null;
  /** `density`, `readability:<why>`, … as shown in inspect's `rules.body`. */
  rule: string;
}

const fold = (text: string): string => squeezeSpaces(foldVietnamese(text)).trim();

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
  removeBoilerplate(root, stats);
  dropKnownLines(root, known);
  sanitizeTree({ baseUrl }, root);
  const text = plainText(root);
  return text ? { root, text } : null;
}

/** Whether the body ends as Vietnamese articles do: the author's name or a source credit on the last line. */
function endsWithCredit(root: Element): boolean {
  const blocks = elementChildren(root);
  const last = blocks[blocks.length - 1];
  if (!last || tagOf(last) !== 'p') return false;
  const text = textOf(last);
  return text.length <= 80 && (bylineName(text) !== null || sourceCredit(text) !== null);
}

/** Keeps ours unless it is missing, or short, open-ended and the second opinion is much longer. */
export function chooseBetween(ours: BodyCandidate | null, oursRule: string, ask: () => BodyCandidate | null): Choice {
  const oursLength = ours?.text.length ?? 0;
  if (oursLength >= BODY_CHOICE.trustedLength) return { body: ours, rule: oursRule };
  if (ours && endsWithCredit(ours.root)) return { body: ours, rule: `${oursRule}:ends-with-credit` };
  const other = ask();
  if (!other) return { body: ours, rule: oursRule };
  if (!oursLength) return { body: other, rule: `readability:instead-of-${oursRule}` };
  if (other.text.length >= oursLength * BODY_CHOICE.longerBy) return { body: other, rule: `readability:longer-than-${oursRule}` };
  if (ours && cleanerThan(other.text, ours.text)) return { body: other, rule: `readability:fewer-fragments-than-${oursRule}` };
  return { body: ours, rule: oursRule };
}
