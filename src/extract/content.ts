/** Finds the article body by text and link density, then strips the boilerplate that lives inside it. */
import { foldVietnamese } from '../core/text.js';
import { squeezeSpaces } from './fold.js';
import {
  type AnyNode,
  type Element,
  type ParentNode,
  ancestors,
  someAncestor,
  createElement,
  descendants,
  elementChildren,
  hasDescendant,
  hintOf,
  isBlock,
  isElement,
  isText,
  relink,
  removeNode,
  tagOf,
  textOf,
} from './dom.js';
import {
  BOILERPLATE_LINES,
  DOCUMENT_LINK,
  NEGATIVE_HINT,
  POSITIVE_HINT,
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
  return code === 32 || (code >= 9 && code <= 13) || (code >= 0xa0 && (code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff));
}

/** Adds the length of `text` (white space collapsed and trimmed) and its commas to `into`, without building the string. */
function addText(text: string, inLink: boolean, into: Stats): void {
  let len = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      pendingSpace = len > 0;
      continue;
    }
    len += pendingSpace ? 2 : 1;
    pendingSpace = false;
    if (code === 0x2c || code === 0xff0c || code === 0x3001) into.commas++;
  }
  into.len += len;
  if (inLink) into.link += len;
}

function addChildren(node: ParentNode, inLink: boolean, into: Stats, map: Map<AnyNode, Stats>): void {
  for (const child of node.children) {
    if (isText(child)) addText(child.data, inLink, into);
    else if (child.type === 'tag') {
      const total: Stats = { len: 0, link: 0, commas: 0 };
      addChildren(child, inLink || tagOf(child) === 'a', total, map);
      map.set(child, total);
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

const TAG_WEIGHT: Record<string, number> = {
  div: 5, article: 10, main: 8, section: 3, td: 3, pre: 3, blockquote: 3, form: -3, ol: -3, ul: -3, li: -3, dl: -3,
  dd: -3, dt: -3, address: -3, h1: -5, h2: -5, h3: -5, h4: -5, h5: -5, h6: -5, th: -5,
};
const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote', 'div', 'section', 'article', 'span', 'font', 'center']);

function classWeight(el: Element): number {
  const hint = hintOf(el);
  let weight = 0;
  if (NEGATIVE_HINT.test(hint)) weight -= 25;
  if (POSITIVE_HINT.test(hint)) weight += 25;
  return weight;
}

/** ASP.NET pages wrap the whole page in one <form>: a container holding most of the page is no chrome. */
function inUnlikelyRegion(el: Element, stats: Map<AnyNode, Stats>, total: number): boolean {
  return someAncestor(el, (a) => tagOf(a) === 'a' || (UNLIKELY_SEMANTIC.has(tagOf(a)) && (stats.get(a)?.len ?? 0) < total * 0.4));
}

/** Readability-style scoring: paragraphs credit their ancestors; link-heavy candidates lose their score. */
export function scoreCandidates(body: AnyNode, stats: Map<AnyNode, Stats>): Map<Element, number> {
  const scores = new Map<Element, number>();
  const total = stats.get(body)?.len ?? 0;
  for (const el of descendants(body)) {
    const tag = tagOf(el);
    if (!PARAGRAPH_TAGS.has(tag)) continue;
    let s = stats.get(el);
    let start: AnyNode | null = el.parent;
    if (tag !== 'p' && tag !== 'pre' && tag !== 'td' && el.children.some((c) => isBlock(c))) {
      // Text written straight into a container (`text<br><br>text<div>…`) counts as its own paragraphs.
      s = looseText(el, stats);
      start = el;
    }
    if (!s || s.len < 25 || s.link / s.len > 0.5 || inUnlikelyRegion(el, stats, total)) continue;
    const score = 1 + s.commas + Math.min(Math.floor(s.len / 100), 3);
    let node = start;
    for (let level = 0; level < 4 && node && isElement(node); level++, node = node.parent) {
      if (!scores.has(node)) scores.set(node, (TAG_WEIGHT[tagOf(node)] ?? 0) + classWeight(node));
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(node, scores.get(node)! + score / divider);
    }
  }
  for (const [el, score] of scores) scores.set(el, score * (1 - linkDensity(stats, el)));
  return scores;
}

/** Stats of a container minus its block children: the text that sits loose in it. */
function looseText(el: Element, stats: Map<AnyNode, Stats>): Stats | undefined {
  const total = stats.get(el);
  if (!total) return undefined;
  const loose = { ...total };
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

/** The best candidate plus its siblings that look like more of the same article. */
export function findBody(body: AnyNode, stats: Map<AnyNode, Stats>): Element | null {
  const scores = scoreCandidates(body, stats);
  let best: Element | null = null;
  let bestScore = -Infinity;
  for (const [el, score] of scores) {
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  if (!best) return null;
  const parent = best.parent;
  if (!parent || !isElement(parent)) return best;
  const threshold = Math.max(10, bestScore * 0.2);
  const picked: Element[] = [];
  for (const sibling of elementChildren(parent)) {
    if (sibling === best) {
      picked.push(sibling);
      continue;
    }
    if (UNLIKELY_SEMANTIC.has(tagOf(sibling))) continue;
    const ld = linkDensity(stats, sibling);
    const len = stats.get(sibling)?.len ?? 0;
    const score = scores.get(sibling);
    const paragraphish = tagOf(sibling) === 'p' || !sibling.children.some((c) => isBlock(c));
    if (score !== undefined && score >= threshold) picked.push(sibling);
    else if (paragraphish && len > 80 && ld < 0.25) picked.push(sibling);
    else if (paragraphish && len > 0 && len <= 80 && ld === 0 && isSentence(textOf(sibling))) picked.push(sibling);
    else if (len === 0 && hasDescendant(sibling, 'img') && picked.length > 0) picked.push(sibling);
  }
  if (picked.length === 1) return best;
  const at = parent.children.indexOf(picked[0]!);
  const wrapper = createElement('div', {}, picked);
  // Keep the wrapper where the picked blocks were, so "what comes before the body" stays answerable.
  parent.children.splice(at, 0, wrapper);
  relink(parent);
  return wrapper;
}

/** Drops nav/aside/footer/header/forms that hold only a small share of the page text. */
export function pruneChrome(body: AnyNode, stats: Map<AnyNode, Stats>): void {
  const total = stats.get(body)?.len ?? 0;
  for (const el of [...descendants(body)]) {
    if (!el.parent) continue;
    if (!UNLIKELY_SEMANTIC.has(tagOf(el)) && !/(?:^|\s)(?:menu|navigation)(?:\s|$)/.test(el.attribs.role ?? '')) continue;
    const removed = stats.get(el);
    if (!removed || removed.len >= total * 0.4) continue;
    // Keep ancestor totals true without a second pass over the page.
    for (const a of ancestors(el)) {
      const s = stats.get(a);
      if (!s) continue;
      s.len -= removed.len;
      s.link -= removed.link;
      s.commas -= removed.commas;
    }
    const root = stats.get(body);
    if (root && body.type === 'root') {
      root.len -= removed.len;
      root.link -= removed.link;
      root.commas -= removed.commas;
    }
    removeNode(el);
  }
}

const fold = (text: string): string => squeezeSpaces(foldVietnamese(text)).trim();

function markerOf(text: string): string | null {
  const clean = fold(text).replace(/[\s:：»›>.\-–|]+$/, '');
  if (clean.length > 40) return RELATED_MARKERS.find((m) => clean.startsWith(`${m}:`) || clean.startsWith(`${m} :`)) ?? null;
  return RELATED_MARKERS.includes(clean) ? clean : RELATED_MARKERS.find((m) => clean.startsWith(`${m}:`)) ?? null;
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

function hasRealParagraph(nodes: AnyNode[], stats: Map<AnyNode, Stats>): boolean {
  return nodes.some((n) => {
    if (isText(n)) return n.data.replace(/\s+/g, ' ').trim().length >= 100;
    if (!isElement(n)) return false;
    const candidates = [n, ...descendants(n)];
    return candidates.some((c) => (stats.get(c)?.len ?? 0) >= 100 && linkDensity(stats, c) < 0.3 && !c.children.some((k) => isBlock(k)));
  });
}

/** `Các tin khác`, `Tin liên quan` …: the marker, the list after it, and everything after when at the end. */
export function removeRelated(root: Element, stats: Map<AnyNode, Stats>): void {
  for (const el of [...descendants(root)]) {
    if (!el.parent || !root.children.length) continue;
    const s = stats.get(el);
    if (!s || s.len === 0 || s.len > 200 || (s.len > 45 && s.link / s.len < 0.5)) continue;
    if (el.children.some((c) => isBlock(c)) && s.len > 40) continue;
    const text = textOf(el);
    const marker = markerOf(text);
    if (!marker) continue;
    if (text.length > marker.length + 3 && linkDensity(stats, el) < 0.5) continue;
    let block: Element = el;
    while (block.parent && block.parent !== root && isElement(block.parent)) {
      const parent: Element = block.parent;
      const ps = stats.get(parent);
      const rest = ps ? { len: ps.len - s.len, link: ps.link - s.link } : { len: 0, link: 0 };
      if (rest.len > 0 && rest.link / rest.len < 0.5) break;
      block = parent;
    }
    const following = followingNodes(block, root);
    if (!hasRealParagraph(following, stats)) following.forEach(removeNode);
    else {
      let next = block.next;
      while (next && isText(next) && next.data.trim() === '') next = next.next;
      if (isElement(next) && (['ul', 'ol', 'a'].includes(tagOf(next)) || linkDensity(stats, next) > 0.5)) removeNode(next);
    }
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
  const headlines = descendants(el).filter(
    (a) => tagOf(a) === 'a' && !DOCUMENT_LINK.test(a.attribs.href ?? '') && textOf(a).split(' ').length >= 4,
  );
  return headlines.length >= 3;
}

/** A list of patterns as one (one scan instead of one per entry) when they share their flags. */
function anyOf(list: RegExp[]): { test(text: string): boolean } {
  const flags = new Set(list.map((re) => re.flags));
  if (flags.size !== 1) return { test: (text) => list.some((re) => re.test(text)) };
  return new RegExp(list.map((re) => `(?:${re.source})`).join('|'), [...flags][0]);
}
const SHARE_LINK = anyOf(SHARE_LINKS);
const BOILERPLATE_LINE = anyOf(BOILERPLATE_LINES);

/** Blocks whose insides are phrasing content: checked as a whole, not descended into. */
const LEAF_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figcaption', 'pre']);

/** Share/print/email tool bars, boilerplate lines, widgets the page marks as such. */
export function removeBoilerplate(root: Element, stats: Map<AnyNode, Stats>): void {
  const visit = (el: Element): void => {
    for (const child of [...elementChildren(el)]) {
      const tag = tagOf(child);
      const href = child.attribs.href ?? '';
      const len = stats.get(child)?.len ?? 0;
      // Cheapest tests first; none has side effects, so the order does not change the outcome.
      const dropByMarkup =
        UNLIKELY_SEMANTIC.has(tag) ||
        (tag === 'a' && SHARE_LINK.test(href)) ||
        (NEGATIVE_HINT.test(hintOf(child)) && !POSITIVE_HINT.test(hintOf(child)) && (linkDensity(stats, child) > 0.4 || len < 150) && !hasDescendant(child, 'img'));
      const text = !dropByMarkup && len > 0 && len <= 100 ? fold(textOf(child)) : null;
      const drop =
        dropByMarkup ||
        (text !== null && BOILERPLATE_LINE.test(text)) ||
        (text !== null && SHARE_BLOCKS.has(tag) && isShareTool(text)) ||
        (HEADLINE_LIST_TAGS.has(tag) && isHeadlineList(child, stats));
      if (drop) removeNode(child);
      else if (!LEAF_BLOCKS.has(tag)) visit(child);
    }
  };
  visit(root);
}
