/** Finds the article body by text and link density, then strips the boilerplate that lives inside it. */
import { escapeRegExp } from '../core/text.js';
import { type LineFolder, foldLine } from './fold.js';
import {
  type AnyNode,
  type Element,
  type ParentNode,
  type Text,
  children,
  contains,
  someAncestor,
  createElement,
  descendants,
  elementChildren,
  hasBlockChild,
  hasDescendant,
  hintOf,
  isBlock,
  isElement,
  nextElement,
  isText,
  relink,
  removeNode,
  tagOf,
  textOf,
} from './dom.js';
import {
  AUTHOR_HINT,
  BOILERPLATE_LINES,
  DOCUMENT_LINK,
  LINK_LABELS,
  NEGATIVE_HINT,
  POSITIVE_HINT,
  PRUNED_LINES,
  PRUNED_LINE_MAX,
  RELATED_HEADINGS,
  RELATED_MARKERS,
  SHARE_LINKS,
  SHARE_TOKENS,
  UNLIKELY_SEMANTIC,
} from './markers.js';

interface Stats {
  len: number;
  link: number;
  commas: number;
}

/** JavaScript's `\s`, by code unit. */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    (code >= 0xa0 &&
      (code === 0xa0 ||
        code === 0x1680 ||
        (code >= 0x2000 && code <= 0x200a) ||
        code === 0x2028 ||
        code === 0x2029 ||
        code === 0x202f ||
        code === 0x205f ||
        code === 0x3000 ||
        code === 0xfeff))
  );
}

/** White space that collapsing and trimming would shorten; most text has none. */
const UNTIDY_SPACE = /^\s|\s\s|\s$/;
const COMMA = /[,，、]/g;

/** Length of `text` once white space is collapsed and trimmed, without building that string. */
function collapsedLength(text: string): number {
  let len = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    if (isSpace(text.charCodeAt(i))) {
      pendingSpace = len > 0;
      continue;
    }
    len += pendingSpace ? 2 : 1;
    pendingSpace = false;
  }
  return len;
}

function addText(text: string, inLink: boolean, into: Stats): void {
  // Most text nodes are indentation between tags: a first character of white space tells them apart without a regex.
  const len = isSpace(text.charCodeAt(0)) || UNTIDY_SPACE.test(text) ? collapsedLength(text) : text.length;
  if (len === 0) return;
  into.len += len;
  if (inLink) into.link += len;
  into.commas += text.match(COMMA)?.length ?? 0;
}

function addChildren(node: ParentNode, inLink: boolean, into: Stats, map: Map<AnyNode, Stats>): void {
  for (const child of node.children) {
    // Type checks inline: this runs for every node of the page.
    if (child.type === 'text') addText((child as Text).data, inLink, into);
    else if (child.type === 'tag') {
      const el = child as Element;
      const total: Stats = { len: 0, link: 0, commas: 0 };
      addChildren(el, inLink || el.name === 'a', total, map);
      map.set(el, total);
      into.len += total.len;
      into.link += total.link;
      into.commas += total.commas;
    }
  }
}

/** Text length, link-text length and commas of every element (scripts and styles count for nothing), in one pass. */
export function computeStats(root: AnyNode): Map<AnyNode, Stats> {
  const map = new Map<AnyNode, Stats>();
  if (isElement(root) ? root.type === 'tag' : root.type === 'root') {
    const total: Stats = { len: 0, link: 0, commas: 0 };
    addChildren(root as ParentNode, isElement(root) && tagOf(root) === 'a', total, map);
    map.set(root, total);
  }
  return map;
}

export function linkDensity(stats: Map<AnyNode, Stats>, node: AnyNode): number {
  const s = stats.get(node);
  return s && s.len > 0 ? s.link / s.len : 0;
}

// A Map, not an object: a page may name an element `constructor` or `__proto__`.
const TAG_WEIGHT = new Map(
  Object.entries({
    div: 5,
    article: 10,
    main: 8,
    section: 3,
    td: 3,
    pre: 3,
    blockquote: 3,
    form: -3,
    ol: -3,
    ul: -3,
    li: -3,
    dl: -3,
    dd: -3,
    dt: -3,
    address: -3,
    h1: -5,
    h2: -5,
    h3: -5,
    h4: -5,
    h5: -5,
    h6: -5,
    th: -5,
  }),
);
const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote', 'div', 'section', 'article', 'span', 'font', 'center']);

/** Named thresholds of candidate scoring and body choice (characters of text unless said otherwise); Readability's values. */
export const SCORING = {
  /** Added to or taken from a candidate whose class/id reads POSITIVE_HINT / NEGATIVE_HINT. */
  hintWeight: 25,
  /** A nav/aside/footer/… holding less than this share of the page is chrome (pruned, never scored). */
  chromeShare: 0.4,
  /** Shorter text is no paragraph, here or below. */
  minParagraph: 25,
  /** A paragraph more linked than this credits nothing. */
  maxParagraphLinkDensity: 0.5,
  /** A paragraph scores 1, plus one per comma, plus one per `lengthStep` characters up to `maxLengthBonus`. */
  lengthStep: 100,
  maxLengthBonus: 3,
  /** Levels above a paragraph that share its score: the parent fully, the grandparent half, level n a 3n-th. */
  creditLevels: 4,
  /** Siblings of the best candidate join it when they score `siblingShare` of it (at least `minSiblingScore`)… */
  siblingShare: 0.2,
  minSiblingScore: 10,
  /** …or are paragraphs longer than `siblingParagraph` with link density under `siblingLinkDensity`, or shorter sentences with no link. */
  siblingParagraph: 80,
  siblingLinkDensity: 0.25,
  /**
   * …or, just before it, are an article's head box: the summary and a captioned photo (figcaption), at most this much
   * unlinked text. A thumbnail without a caption is a teaser's; a photo and caption alone stay out (the trafilatura set
   * counts a lead picture's caption as chrome).
   */
  imageSiblingText: 400,
} as const;

function classWeight(el: Element): number {
  const hint = hintOf(el);
  let weight = 0;
  if (NEGATIVE_HINT.test(hint)) weight -= SCORING.hintWeight;
  if (POSITIVE_HINT.test(hint)) weight += SCORING.hintWeight;
  return weight;
}

/** Readability-style scoring: paragraphs credit their ancestors; link-heavy candidates lose their score. */
export function scoreCandidates(body: AnyNode, stats: Map<AnyNode, Stats>): Map<Element, number> {
  const scores = new Map<Element, number>();
  const limit = (stats.get(body)?.len ?? 0) * SCORING.chromeShare;
  const unlikely =
    (isElement(body) && isUnlikelyRegion(body, tagOf(body), stats, limit)) || someAncestor(body, (a) => isUnlikelyRegion(a, tagOf(a), stats, limit));
  if (!unlikely) creditParagraphs(children(body), stats, limit, scores);
  for (const [el, score] of scores) scores.set(el, score * (1 - linkDensity(stats, el)));
  return scores;
}

/** A link, or a nav/aside/… holding little of the page (ASP.NET wraps the whole page in one <form>: that is no chrome). */
function isUnlikelyRegion(el: Element, tag: string, stats: Map<AnyNode, Stats>, limit: number): boolean {
  return tag === 'a' || (UNLIKELY_SEMANTIC.has(tag) && (stats.get(el)?.len ?? 0) < limit);
}

/** Credits the paragraphs among `nodes` and below, skipping regions that hold no paragraph of the article. */
function creditParagraphs(nodes: AnyNode[], stats: Map<AnyNode, Stats>, limit: number, scores: Map<Element, number>): void {
  for (const el of nodes) {
    if (el.type !== 'tag') continue; // scripts and styles hold no paragraphs
    const whole = stats.get(el);
    // Too little text for a paragraph, here or anywhere below (loose text included): most of the page stops here.
    if (!whole || whole.len < SCORING.minParagraph) continue;
    const tag = tagOf(el);
    if (PARAGRAPH_TAGS.has(tag)) creditParagraph(el, tag, whole, stats, scores);
    if (!isUnlikelyRegion(el, tag, stats, limit)) creditParagraphs(el.children, stats, limit, scores);
  }
}

/** Credits a paragraph's score to its parent and the three levels above, less at each level. */
function creditParagraph(el: Element, tag: string, whole: Stats, stats: Map<AnyNode, Stats>, scores: Map<Element, number>): void {
  let s = whole;
  let node: ParentNode | null = el.parent;
  if (tag !== 'p' && tag !== 'pre' && tag !== 'td' && hasBlockChild(el)) {
    // Text written straight into a container (`text<br><br>text<div>…`) counts as its own paragraphs.
    s = looseText(el, whole, stats);
    node = el;
  }
  if (s.len < SCORING.minParagraph || s.link / s.len > SCORING.maxParagraphLinkDensity) return;
  const score = 1 + s.commas + Math.min(Math.floor(s.len / SCORING.lengthStep), SCORING.maxLengthBonus);
  for (let level = 0; level < SCORING.creditLevels && node && isElement(node); level++, node = node.parent) {
    const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
    scores.set(node, (scores.get(node) ?? (TAG_WEIGHT.get(tagOf(node)) ?? 0) + classWeight(node)) + score / divider);
  }
}

/** Stats of a container minus its block children: the text that sits loose in it. */
function looseText(el: Element, whole: Stats, stats: Map<AnyNode, Stats>): Stats {
  const loose = { ...whole };
  for (const child of el.children) {
    if (!isBlock(child)) continue;
    const c = stats.get(child);
    if (!c) continue;
    loose.len -= c.len;
    loose.link -= c.link;
    loose.commas -= c.commas;
  }
  return loose;
}

function isSentence(text: string): boolean {
  return /[.!?…"”:;)]$/.test(text);
}

/** A block holding a captioned photo and text besides its captions (the summary printed beside the lead photo). */
function isHeadBox(el: Element, stats: Map<AnyNode, Stats>, len: number): boolean {
  const captions = descendants(el).filter((d) => tagOf(d) === 'figcaption');
  return captions.length > 0 && captions.reduce((sum, c) => sum + (stats.get(c)?.len ?? 0), 0) < len;
}

/** A block whose first element is a heading naming a related box (`Tin nổi bật`, `Related posts`): never the article. */
function headedAsRelated(el: Element): boolean {
  const first = el.children.find(isElement);
  return !!first && HEADING_TAGS.has(tagOf(first)) && markerOf(textOf(first), true, foldLine) !== null;
}

/** The best candidate plus its siblings that look like more of the same article. */
export function findBody(body: AnyNode, stats: Map<AnyNode, Stats>): Element | null {
  const scores = scoreCandidates(body, stats);
  let best: Element | null = null;
  let bestScore = -Infinity;
  for (const [el, score] of scores) {
    if (score > bestScore && !headedAsRelated(el)) {
      best = el;
      bestScore = score;
    }
  }
  if (!best) return null;
  const parent = best.parent;
  if (!parent || !isElement(parent)) return best;
  const threshold = Math.max(SCORING.minSiblingScore, bestScore * SCORING.siblingShare);
  const picked: Element[] = [];
  for (const sibling of elementChildren(parent)) {
    if (sibling === best) {
      picked.push(sibling);
      continue;
    }
    const tag = tagOf(sibling);
    if (UNLIKELY_SEMANTIC.has(tag)) continue;
    const score = scores.get(sibling);
    if (score !== undefined && score >= threshold) {
      picked.push(sibling);
      continue;
    }
    const ld = linkDensity(stats, sibling);
    const len = stats.get(sibling)?.len ?? 0;
    const paragraphish = tag === 'p' || !hasBlockChild(sibling);
    if (paragraphish && len > SCORING.siblingParagraph && ld < SCORING.siblingLinkDensity) picked.push(sibling);
    else if (paragraphish && len > 0 && len <= SCORING.siblingParagraph && ld === 0 && isSentence(textOf(sibling))) picked.push(sibling);
    else if (len === 0 && hasDescendant(sibling, 'img') && picked.length > 0) picked.push(sibling);
    else if (ld === 0 && len <= SCORING.imageSiblingText && nextElement(sibling) === best && isHeadBox(sibling, stats, len)) picked.push(sibling);
  }
  if (picked.length === 1) return best;
  const at = parent.children.indexOf(picked[0]!);
  const wrapper = createElement('div', {}, picked);
  // Keep the wrapper where the picked blocks were, so "what comes before the body" stays answerable.
  parent.children.splice(at, 0, wrapper);
  relink(parent);
  return wrapper;
}

const NAVIGATION_ROLE = /(?:^|\s)(?:menu|navigation)(?:\s|$)/;

function isChrome(el: Element): boolean {
  const role = el.attribs.role;
  return UNLIKELY_SEMANTIC.has(tagOf(el)) || (role !== undefined && NAVIGATION_ROLE.test(role));
}

/** Drops nav/aside/footer/header/forms that hold only a small share of the page text. */
export function pruneChrome(body: AnyNode, stats: Map<AnyNode, Stats>): void {
  if ('children' in body) pruneUnder(body, stats, (stats.get(body)?.len ?? 0) * SCORING.chromeShare);
}

/** Prunes below `node`; returns what went (null: nothing), so each ancestor's totals are fixed once, on the way back up. */
function pruneUnder(node: ParentNode, stats: Map<AnyNode, Stats>, limit: number): Stats | null {
  let gone: Stats | null = null;
  const kids = node.children;
  // Backwards, so that removing a child leaves those still to visit in place; no decision depends on a sibling's.
  for (let i = kids.length - 1; i >= 0; i--) {
    const el = kids[i]!;
    if (el.type !== 'tag') continue; // scripts and styles have no stats: never pruned
    const own = isChrome(el) ? stats.get(el) : undefined;
    let removed: Stats | null;
    if (own && own.len < limit) {
      removeNode(el);
      removed = own;
    } else removed = pruneUnder(el, stats, limit);
    if (!removed) continue;
    gone ??= { len: 0, link: 0, commas: 0 };
    gone.len += removed.len;
    gone.link += removed.link;
    gone.commas += removed.commas;
  }
  const totals = gone && stats.get(node);
  if (gone && totals) {
    totals.len -= gone.len;
    totals.link -= gone.link;
    totals.commas -= gone.commas;
  }
  return gone;
}

const MARKER_ALTERNATIVES = [...RELATED_MARKERS, ...LINK_LABELS].map(escapeRegExp).join('|');
/** `marker:` at the start; alternation tries the markers in list order, as a `find` over the list would. */
const LABELLED_MARKER = new RegExp(`^(${MARKER_ALTERNATIVES}):`);
/** The same, or `marker :`, for a long text. */
const LABELLED_MARKER_SPACED = new RegExp(`^(${MARKER_ALTERNATIVES}) ?:`);
const MARKERS = new Set(RELATED_MARKERS);
const RELATED_HEADING = anyOf(RELATED_HEADINGS);
/** Trailing punctuation and a count (`Kommentare (3)`, `3 comments`) around a heading. */
const MARKER_TRIM = /[\s:：»›>.\-–|!?…]+$|^\d+\s+|\s*[([]\d+[)\]]$/g;

/**
 * A heading may name the box and more (`Mehr zum Thema auf example.de`, `Artículos relacionados el Nuevo Herald`):
 * a marker of at least two words opens it, and at most `tail` characters follow.
 */
export const MARKER_HEADING = { tail: 30 } as const;
const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const MARKER_OPENING = new RegExp(
  `^(?:${RELATED_MARKERS.filter((m) => m.includes(' '))
    .map(escapeRegExp)
    .join('|')}) .{1,${MARKER_HEADING.tail}}$`,
);

/** The marker a box heading is, or (labelled) the one a `marker: …` line opens with. */
function markerOf(text: string, heading: boolean, fold: LineFolder): { marker: string; labelled: boolean } | null {
  const clean = fold(text).replace(MARKER_TRIM, '').replace(MARKER_TRIM, '');
  if (clean.length <= 60 && (MARKERS.has(clean) || RELATED_HEADING.test(clean) || (heading && MARKER_OPENING.test(clean)))) {
    return { marker: clean, labelled: false };
  }
  const marker = (clean.length > 40 ? LABELLED_MARKER_SPACED : LABELLED_MARKER).exec(clean)?.[1];
  return marker ? { marker, labelled: clean.length > marker.length + 3 } : null;
}

function followingNodes(marker: Element, root: Element): AnyNode[] {
  const out: AnyNode[] = [];
  let node: AnyNode = marker;
  while (node && node !== root) {
    for (let next = node.next; next; next = next.next) if (isElement(next) || isText(next)) out.push(next);
    if (!node.parent) break;
    node = node.parent;
  }
  return out;
}

function isRealParagraph(el: Element, stats: Map<AnyNode, Stats>): boolean {
  return (stats.get(el)?.len ?? 0) >= 100 && linkDensity(stats, el) < 0.3 && !hasBlockChild(el);
}

function hasRealParagraph(nodes: AnyNode[], stats: Map<AnyNode, Stats>): boolean {
  return nodes.some((n) => {
    if (isText(n)) return n.data.replace(/\s+/g, ' ').trim().length >= 100;
    return isElement(n) && (isRealParagraph(n, stats) || descendants(n).some((c) => isRealParagraph(c, stats)));
  });
}

/** Where a marker ends the article: what follows it is at most this share of what precedes it (the last third). */
const RELATED_TAIL = { followingShare: 0.5 } as const;

function lengthOfNodes(nodes: AnyNode[], stats: Map<AnyNode, Stats>): number {
  return nodes.reduce((sum, n) => sum + (isText(n) ? collapsedLength(n.data) : (stats.get(n)?.len ?? 0)), 0);
}

/**
 * `Các tin khác`, `Das könnte Sie auch interessieren`, `Comments` …: the marker, the list after it, and everything
 * after when that is no article text (no real paragraph) or the marker sits in the article's last part.
 */
export function removeRelated(root: Element, stats: Map<AnyNode, Stats>, fold: LineFolder = foldLine): void {
  let remaining = stats.get(root)?.len ?? 0;
  for (const el of descendants(root)) {
    if (!el.parent || !root.children.length) continue;
    const s = stats.get(el);
    if (!s || s.len === 0 || s.len > 200 || (s.len > 60 && s.link / s.len < 0.5)) continue;
    if (s.len > 40 && hasBlockChild(el)) continue;
    const text = textOf(el);
    const found = markerOf(text, HEADING_TAGS.has(tagOf(el)), fold);
    if (!found || !contains(root, el)) continue; // inside a block an earlier marker took away
    const { labelled } = found;
    if (labelled && linkDensity(stats, el) < 0.5) continue;
    let block: Element = el;
    while (block.parent && block.parent !== root && isElement(block.parent)) {
      const parent: Element = block.parent;
      const ps = stats.get(parent);
      const rest = ps ? { len: ps.len - s.len, link: ps.link - s.link } : { len: 0, link: 0 };
      if (rest.len > 0 && rest.link / rest.len < 0.5) break;
      block = parent;
    }
    const following = followingNodes(block, root);
    const after = lengthOfNodes(following, stats);
    const before = remaining - after - (stats.get(block)?.len ?? 0);
    // A labelled link (`Read more: <a>…</a>`) sits between paragraphs: only a heading ends the article.
    if ((!labelled && after <= before * RELATED_TAIL.followingShare) || !hasRealParagraph(following, stats)) {
      following.forEach(removeNode);
      remaining -= after;
    } else {
      let next = block.next;
      while (next && isText(next) && next.data.trim() === '') next = next.next;
      if (isElement(next) && (['ul', 'ol', 'a'].includes(tagOf(next)) || linkDensity(stats, next) > 0.5)) removeNode(next);
    }
    remaining -= stats.get(block)?.len ?? 0;
    removeNode(block);
  }
}

const SHARE_RE = new RegExp(`\\b(?:${[...SHARE_TOKENS].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
const SHARE_WORD = new RegExp(SHARE_RE.source);
const SHARE_BLOCKS = new Set(['div', 'p', 'ul', 'ol', 'li', 'section', 'td', 'table', 'span', 'nav']);

function isShareTool(text: string): boolean {
  const residue = text.replace(SHARE_RE, '').replace(/[\s\d|:·•,.\-–/()+]+/g, '');
  return residue === '' && SHARE_WORD.test(text) && /\p{L}/u.test(text);
}

const HEADLINE_LIST_TAGS = new Set(['ul', 'ol', 'div', 'table', 'section']);

/** An unlabelled box of other articles' headlines inside the body: nearly all link text, several headline links. */
function isHeadlineList(el: Element, stats: Map<AnyNode, Stats>): boolean {
  if (linkDensity(stats, el) < 0.8) return false;
  let headlines = 0;
  for (const a of descendants(el)) {
    if (tagOf(a) !== 'a' || DOCUMENT_LINK.test(a.attribs.href ?? '') || textOf(a).split(' ').length < 4) continue;
    if (++headlines === 3) return true;
  }
  return false;
}

/** A list of patterns as one (one scan instead of one per entry) when they share their flags. */
function anyOf(list: RegExp[]): { test(text: string): boolean } {
  const flags = new Set(list.map((re) => re.flags));
  if (flags.size !== 1) return { test: (text) => list.some((re) => re.test(text)) };
  return new RegExp(list.map((re) => `(?:${re.source})`).join('|'), [...flags][0]);
}
const SHARE_LINK = anyOf(SHARE_LINKS);
const BOILERPLATE_LINE = anyOf(BOILERPLATE_LINES);

/**
 * trafilatura's link-density test: a short block whose text is mostly link text, or whose links are mostly tiny
 * (`1 2 3 …`, `A B C`), is navigation; one linking an attached document is not. A block with no element after it in its parent may be longer (a list ending
 * the body). Lengths in characters of text.
 */
export const LINK_DENSE = {
  paragraph: { maxLength: 30, lastMaxLength: 60 },
  block: { maxLength: 100, lastMaxLength: 300 },
  /** Link text above this share of the block's text. */
  linkShare: 0.8,
  /** Or, with at least two links, this share of them shorter than `shortLink`. */
  shortLinkShare: 0.8,
  shortLink: 10,
} as const;
const LINK_DENSE_TAGS = new Set(['p', 'div', 'ul', 'ol', 'dl']);

/** Whether `el` (a p, div or list) is a short block of links, by LINK_DENSE. */
export function isLinkDense(el: Element, stats: Map<AnyNode, Stats>): boolean {
  const own = stats.get(el);
  if (!own || own.link === 0 || !LINK_DENSE_TAGS.has(tagOf(el))) return false;
  const limits = tagOf(el) === 'p' ? LINK_DENSE.paragraph : LINK_DENSE.block;
  if (own.len >= (nextElement(el) ? limits.maxLength : limits.lastMaxLength)) return false;
  const anchors = descendants(el).filter((a) => tagOf(a) === 'a');
  // Attached documents are the content of a notice, not navigation.
  if (anchors.some((a) => DOCUMENT_LINK.test(a.attribs.href ?? ''))) return false;
  if (own.link > LINK_DENSE.linkShare * own.len) return true;
  let links = 0;
  let short = 0;
  for (const a of anchors) {
    const len = stats.get(a)?.len ?? 0;
    if (len === 0) continue;
    links++;
    if (len < LINK_DENSE.shortLink) short++;
  }
  return links > 1 && short > LINK_DENSE.shortLinkShare * links;
}

/** Characters: an element marked as the author's box (AUTHOR_HINT) and shorter than this goes, portrait and all. */
export const AUTHOR_BOX_MAX = 600;

/** Blocks whose insides are phrasing content: checked as a whole, not descended into. */
const LEAF_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figcaption', 'pre']);

const PRUNED_KINDS = Object.entries(PRUNED_LINES).map(([kind, list]) => ({ kind, max: PRUNED_LINE_MAX[kind] ?? 0, test: anyOf(list) }));
const PRUNED_MAX = Math.max(...PRUNED_KINDS.map((k) => k.max));

/** The kind of chrome (PRUNED_LINES) a short block without block children is, if any. */
export function prunedKind(text: string, len = text.length): string | null {
  for (const { kind, max, test } of PRUNED_KINDS) if (len <= max && test.test(text)) return kind;
  return null;
}

const CELL_TAGS = new Set(['td', 'th']);

/** A cell beside other cells with text (`Ngày ban hành | 10/04/2024`): a table's value, never a stray date line. */
function isDataCell(el: Element, stats: Map<AnyNode, Stats>): boolean {
  if (!CELL_TAGS.has(tagOf(el)) || !isElement(el.parent)) return false;
  return elementChildren(el.parent).some((cell) => cell !== el && CELL_TAGS.has(tagOf(cell)) && (stats.get(cell)?.len ?? 0) > 0);
}

/**
 * Share/print/email tool bars, boilerplate lines, widgets the page marks as such, and the short blocks PRUNED_LINES
 * names (their kinds are added to `pruned`, for inspect's `rules`).
 */
export function removeBoilerplate(root: Element, stats: Map<AnyNode, Stats>, pruned?: Set<string>, fold: LineFolder = foldLine): void {
  for (const child of elementChildren(root)) {
    const tag = tagOf(child);
    const len = stats.get(child)?.len ?? 0;
    const hint = hintOf(child);
    // Cheapest tests first; none has side effects, so the order does not change the outcome.
    const dropByMarkup =
      UNLIKELY_SEMANTIC.has(tag) ||
      (tag === 'a' && SHARE_LINK.test(child.attribs.href ?? '')) ||
      (NEGATIVE_HINT.test(hint) && !POSITIVE_HINT.test(hint) && (linkDensity(stats, child) > 0.4 || len < 150) && !hasDescendant(child, 'img')) ||
      (len < AUTHOR_BOX_MAX && AUTHOR_HINT.test(hint));
    const text = !dropByMarkup && len > 0 && len <= 100 ? fold(textOf(child)) : null;
    const drop =
      dropByMarkup ||
      (text !== null && BOILERPLATE_LINE.test(text)) ||
      (text !== null && SHARE_BLOCKS.has(tag) && isShareTool(text)) ||
      (HEADLINE_LIST_TAGS.has(tag) && isHeadlineList(child, stats)) ||
      isLinkDense(child, stats);
    const kind =
      !drop && len > 0 && len <= PRUNED_MAX && isBlock(child) && !hasBlockChild(child) && !isDataCell(child, stats)
        ? prunedKind(text ?? fold(textOf(child)), len)
        : null;
    if (kind) pruned?.add(kind);
    if (drop || kind) removeNode(child);
    else if (!LEAF_BLOCKS.has(tag)) removeBoilerplate(child, stats, pruned, fold);
  }
}
