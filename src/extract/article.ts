/** Generic article extraction: configured selectors → structured data → heuristics, on one parsed DOM. */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Selectors } from '../config/schema.js';
import { ExtractError } from '../core/errors.js';
import { cleanText, collapseWhitespace, foldVietnamese, toNFC } from '../core/text.js';
import type { ExtractedArticle, FieldTrace } from '../core/types.js';
import { computeStats, findBody, linkDensity, pruneChrome, removeBoilerplate, removeRelated, scoreCandidates } from './content.js';
import { LOCAL_OFFSET_MINUTES, dateFromUrlEpoch, parseDate } from './dates.js';
import {
  type Element,
  type PageIndex,
  ancestors,
  contains,
  createElement,
  createText,
  descendants,
  hasDescendant,
  indexPage,
  isElement,
  removeNode,
  tagOf,
  tagged,
  textOf,
  textReader,
  type TextReader,
} from './dom.js';
import {
  type Found,
  authorFromStructured,
  dateFromStructured,
  findByline,
  findDateLines,
  findKeywords,
  findSection,
  findSourceLine,
  anyRefTitle,
  findTitle,
  titleBeforeBody,
} from './fields.js';
import { type LineFolder, lineFolder } from './fold.js';
import { absoluteUrl } from './images.js';
import { DOCUMENT_LINK, ERROR_PAGE } from './markers.js';
import { takeLead, takeTrailingCredits } from './lead.js';
import { paragraphBaseline } from './baseline.js';
import { type BodyCandidate, type Choice, type PageText, chooseBetween, pageProse, secondOpinion } from './body-choice.js';
import { sanitizeTree, serialise } from './sanitize.js';
import { standfirstByText, standfirstCandidates, takeStandfirst } from './standfirst.js';
import { type StructuredData, jsonText, metaValue, readStructured } from './structured.js';
import { parseAsBrowser, parseDocument } from './parse.js';
import { plainText } from './text.js';

export interface ExtractOptions {
  selectors?: Selectors;
  /** Reference time: dates after now + 2 days are rejected. */
  now?: Date;
}

const clean = (text: string): string => collapseWhitespace(cleanText(text));

/** The cheerio API over the parsed page, built on first use: only configured CSS selectors need it. */
type Query = () => CheerioAPI;

function selectFirst(query: Query, selector: string | undefined, field: string): Element | null {
  if (!selector) return null;
  try {
    const el = query()(selector).first()[0];
    return el && isElement(el) ? el : null;
  } catch (cause) {
    throw new ExtractError(`invalid ${field} selector "${selector}"`, { cause });
  }
}

function record<T>(trace: FieldTrace[], field: string, found: Found<T> | null): T | null {
  if (found) trace.push({ field, rule: found.rule, value: found.value });
  else trace.push({ field, rule: 'none', value: null });
  return found ? found.value : null;
}

/** Registrable domain, good enough for gov.vn-style two-label suffixes. */
function registrable(host: string): string {
  const labels = host
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.');
  const twoLevel = labels.length >= 3 && /^(?:gov|com|edu|org|net|ac|co|int|info|biz|name|health)$/.test(labels[labels.length - 2]!);
  return labels.slice(twoLevel ? -3 : -2).join('.');
}

function canonicalOf(data: StructuredData, url: string): Found<string> | null {
  for (const [rule, value] of [
    ['link-canonical', data.canonical],
    ['og:url', metaValue(data, 'og:url')],
  ] as const) {
    const abs = value ? absoluteUrl(value, url) : null;
    if (abs && registrable(new URL(abs).hostname) === registrable(new URL(url).hostname)) return { value: abs, rule };
  }
  return null;
}

function imageOf(query: Query, data: StructuredData, url: string, selectors: Selectors, root: Element | null): Found<string> | null {
  const selected = selectFirst(query, selectors.image, 'image');
  const selectedSrc = selected ? (selected.attribs.src ?? selected.attribs['data-src'] ?? selected.attribs.content) : undefined;
  const sources: Array<[string, string | null | undefined]> = [
    ['selector', selectedSrc],
    ['og:image', metaValue(data, 'og:image', 'og:image:url', 'og:image:secure_url')],
    ['json-ld', jsonText(data.article?.image, 'url')?.split(', ')[0]],
    ['twitter:image', metaValue(data, 'twitter:image', 'twitter:image:src')],
    ['first-image', root ? [...descendants(root)].find((e) => tagOf(e) === 'img')?.attribs.src : null],
  ];
  for (const [rule, value] of sources) {
    const abs = value ? absoluteUrl(value, url) : null;
    if (abs) return { value: abs, rule };
  }
  return null;
}

/** The parsed page and what is read from it once. Steps take from it what they need; the text lengths they work
 * from (`Lengths`) are handed to them, since removing configured selectors changes them. */
interface Page {
  query: Query;
  url: string;
  now: Date;
  selectors: Selectors;
  data: StructuredData;
  body: Element;
  index: PageIndex;
  /** Each element's text, read once while the tree does not change: until configured selectors or cleaning remove anything. */
  shownText: TextReader;
  /** Lines folded for marker tables, each once per page. */
  foldedLine: LineFolder;
}

type Lengths = ReturnType<typeof computeStats>;

const LOCAL_OFFSET_MS = LOCAL_OFFSET_MINUTES * 60_000;
const sameLocalDay = (a: string, b: string): boolean =>
  new Date(Date.parse(a) + LOCAL_OFFSET_MS).toISOString().slice(0, 10) === new Date(Date.parse(b) + LOCAL_OFFSET_MS).toISOString().slice(0, 10);

/** The publication date, and the date line of the last change when the page declares none. */
function datesOf(page: Page, lengths: Lengths, title: Element | null): { published: Found<string> | null; modified: Found<string> | null } {
  const { query, selectors, index, data, body, now, url } = page;
  const modified = dateFromStructured(index, data, now, 'modified');
  const selected = selectFirst(query, selectors.date, 'date');
  if (selected) {
    const parsed = parseDate(`${selected.attribs.datetime ?? ''} ${selected.attribs.content ?? ''} ${textOf(selected)}`, { now });
    if (parsed) return { published: { value: parsed.iso, rule: `selector:${parsed.rule}`, element: selected }, modified };
  }
  const structured = dateFromStructured(index, data, now, 'published');
  const lines = findDateLines(body, title, index.order, now, lengths, page.shownText);
  const line = lines.published;
  const changed = modified ?? lines.modified;
  // The page's own date line, when it says the same day, is still the element the body must not keep.
  if (structured)
    return { published: line && sameLocalDay(line.value, structured.value) ? { ...structured, element: line.element } : structured, modified };
  if (line) return { published: line, modified: changed };
  const epoch = dateFromUrlEpoch(url, { now });
  return { published: epoch ? { value: epoch.iso, rule: epoch.rule } : null, modified: changed };
}

/** schema.org microdata naming the body: trusted when one element carries it and holds a body's worth of text. */
const MARKED_BODY = { itemprop: /(?:^|\s)articlebody(?:\s|$)/i, minLength: 250 } as const;

function markedBody(index: PageIndex, body: Element, stats: Lengths): Element | null {
  // Chrome pruned before this: what is still in the body.
  const marked = index.itemprops.filter((el) => MARKED_BODY.itemprop.test(el.attribs.itemprop ?? '') && contains(body, el));
  const only = marked.length === 1 ? marked[0] : undefined;
  return only && (stats.get(only)?.len ?? 0) >= MARKED_BODY.minLength ? only : null;
}

/**
 * The block around a date line or byline that holds nothing but short labelled lines (Joomla's `dl` of author,
 * category, date and views; a meta `div` of date, counter and print link) goes with it.
 */
const FURNITURE_BLOCK = { maxLength: 300, maxLine: 80, sentenceEnd: /[.!?…]$/ } as const;

function isFurniture(el: Element): boolean {
  const { maxLength, maxLine, sentenceEnd } = FURNITURE_BLOCK;
  if (textOf(el).length > maxLength || hasDescendant(el, 'img') || hasDescendant(el, 'table')) return false;
  return plainText(el)
    .split('\n')
    .every((line) => line.trim().length < maxLine && !sentenceEnd.test(line.trim()));
}

function furnitureAround(el: Element, root: Element): Element {
  let block = el;
  while (isElement(block.parent) && block.parent !== root && isFurniture(block.parent)) block = block.parent;
  return block;
}

/** The configured remove selectors applied to the page; the lengths of what is left (texts read before are read again). */
function removeConfigured(page: Page, lengths: Lengths): Lengths {
  const removals = page.selectors.remove ?? [];
  for (const sel of removals) {
    try {
      page.query()(sel).remove();
    } catch (cause) {
      throw new ExtractError(`invalid remove selector "${sel}"`, { cause });
    }
  }
  if (!removals.length) return lengths;
  page.shownText = textReader();
  return computeStats(page.body);
}

function chooseBody(page: Page, stats: Lengths, exclude: Array<Element | null | undefined>, pruned: Set<string>): Found<Element> | null {
  const selected = selectFirst(page.query, page.selectors.body, 'body');
  if (selected) return { value: selected, rule: 'selector' };
  const { order } = page.index;
  pruneChrome(page.body, stats);
  const marked = markedBody(page.index, page.body, stats);
  const root = marked ?? findBody(page.body, stats);
  if (!root) return null;
  const [, date, byline] = exclude;
  const kept = exclude.filter((e): e is Element => !!e && contains(root, e)).map((e) => (e === date || e === byline ? furnitureAround(e, root) : e));
  // Whatever precedes the title inside the chosen block is page chrome, not article.
  const title = exclude[0];
  if (title && contains(root, title)) {
    const titleIndex = order.get(title) ?? -1;
    const holdsTitle = new Set(ancestors(title));
    for (const el of descendants(root)) {
      const index = order.get(el);
      if (el.parent && index !== undefined && index < titleIndex && !holdsTitle.has(el)) removeNode(el);
    }
  }
  kept.forEach(removeNode);
  removeRelated(root, stats, page.foldedLine);
  removeBoilerplate(root, stats, pruned, page.foldedLine);
  return { value: root, rule: marked ? 'microdata:articleBody' : 'density' };
}

const siteOf = (href: string, base: string): string | null => {
  try {
    return new URL(href, base).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
};

/** Links of headline length to the page's own site: show notes and sources link elsewhere, a listing to its own articles. */
function headlineLinks(el: Element, url: string): number {
  const site = siteOf(url, url);
  return new Set(
    descendants(el)
      .filter((e) => tagOf(e) === 'a' && (textOf(e) || e.attribs.title || '').split(' ').length >= 4 && siteOf(e.attribs.href ?? '', url) === site)
      .map((e) => e.attribs.href),
  ).size;
}

function opensWithLink(root: Element): boolean {
  const first = descendants(root).find((e) => e.children.some((c) => 'data' in c && typeof c.data === 'string' && c.data.trim() !== ''));
  return !!first && (tagOf(first) === 'a' || (first.parent !== null && isElement(first.parent) && tagOf(first.parent) === 'a'));
}

/** Named thresholds of the "no article here" tests. */
const NO_ARTICLE = {
  /** Below one headline link per this many characters of text, a second opinion's links are no listing. */
  charsPerHeadline: 400,
  /**
   * Text outside links (characters) and a paragraph (characters) that make a block an article with links in it
   * (a blog post over a list of related posts), not a listing: teasers in the listing fixtures stay under 131.
   */
  ownText: 800,
  paragraph: 200,
} as const;

/** Why a body is no article: too few words, a block of headline links, or one teaser among many (a listing). */
type NoArticle = 'short' | 'headlines' | 'teaser';

function noArticleReason(root: Element, text: string, original: Element | null, url: string): NoArticle | null {
  // A notice may be one sentence and an attached document: still an article.
  if (text.length < 80) {
    const hasContent = descendants(root).some((e) => tagOf(e) === 'img' || (tagOf(e) === 'a' && DOCUMENT_LINK.test(e.attribs.href ?? '')));
    if (!hasContent) return 'short';
    if (text.length < 40) return null;
  }
  if (isHeadlineBlock(root, text, url)) return 'headlines';
  // A teaser: a short block that opens with a headline link, among several others like it.
  if (text.length >= 600 || !original || !opensWithLink(root)) return null;
  let node: Element | null = original;
  for (let level = 0; node && level < 3; level++, node = isElement(node.parent) ? node.parent : null) {
    if (headlineLinks(node, url) >= 5) return 'teaser';
  }
  return null;
}

/**
 * A second opinion is refused as a listing only when headline links come thick (one per few hundred characters):
 * blog posts and podcast pages link a lot, but their links sit in text.
 */
function isHeadlineBlock(root: Element, text: string, url: string): boolean {
  const headlines = headlineLinks(root, url);
  if (headlines < 5 || headlines * NO_ARTICLE.charsPerHeadline <= text.length) return false;
  const density = linkDensity(computeStats(root), root);
  if (density <= 0.2) return false;
  const longest = Math.max(...text.split('\n').map((line) => line.length));
  return text.length * (1 - density) < NO_ARTICLE.ownText || longest < NO_ARTICLE.paragraph;
}

/** The top-scoring block before any cleaning, to place a title the page names nowhere else. */
function bestCandidate(body: Element, lengths: Lengths): Element | null {
  let best: Element | null = null;
  let bestScore = -Infinity;
  for (const [el, score] of scoreCandidates(body, lengths)) if (score > bestScore) [best, bestScore] = [el, score];
  return best;
}

/**
 * Pages rendered by script ship a skeleton in the DOM but the whole text in JSON-LD `articleBody`:
 * taken only when the DOM body holds much less than that.
 */
function bodyFromJsonLd(data: StructuredData, dom: Found<Element> | null, domLength: number): Found<Element> | null {
  const body = data.article?.articleBody;
  if (typeof body !== 'string' || body.length < 200 || (dom && domLength >= Math.min(500, body.length / 2))) return null;
  const paragraphs = body
    .split(/\n+|<\/?p[^>]*>|<br\s*\/?>/i)
    .map((p) => clean(p.replace(/<[^>]*>/g, ' ')))
    .filter(Boolean);
  return {
    value: createElement(
      'div',
      {},
      paragraphs.map((p) => createElement('p', {}, [createText(p)])),
    ),
    rule: 'json-ld:articleBody',
  };
}

interface PageFields {
  title: string;
  titleEl: Element | null;
  dateFound: Found<string> | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  authorFound: Found<string> | null;
  section: string | null;
  keywords: string[];
  canonicalUrl: string | null;
  selectedLead: Element | null;
}

/** Everything read from the page before the body is cut out of it: the tree does not change meanwhile. */
function readFields(page: Page, lengths: Lengths, trace: FieldTrace[]): PageFields {
  const { query, selectors, index, body, data, now, url, shownText } = page;
  const selectedTitle = selectFirst(query, selectors.title, 'title');
  const titleFound: Found<string> | null = selectedTitle
    ? { value: textOf(selectedTitle), rule: 'selector', element: selectedTitle }
    : (findTitle(index, body, data, lengths, shownText) ??
      titleBeforeBody(bestCandidate(body, lengths), index.order, lengths, now, shownText) ??
      anyRefTitle(data));
  const title = clean(record(trace, 'title', titleFound) ?? '');
  const titleEl = titleFound?.element ?? null;

  const dates = datesOf(page, lengths, titleEl);
  const dateFound = dates.published;
  const publishedAt = record(trace, 'publishedAt', dateFound);
  const modifiedAt = record(trace, 'modifiedAt', dates.modified);

  const selectedAuthor = selectFirst(query, selectors.author, 'author');
  let authorFound: Found<string> | null = selectedAuthor ? { value: clean(textOf(selectedAuthor)), rule: 'selector', element: selectedAuthor } : null;
  authorFound ??= authorFromStructured(data) ?? findByline(index, body, lengths, shownText);
  const section = record(trace, 'section', findSection(index, data, { text: title, element: titleEl }, url, lengths));
  const keywords = record(trace, 'keywords', findKeywords(index, data, shownText)) ?? [];
  const canonicalUrl = record(trace, 'canonicalUrl', canonicalOf(data, url));
  const selectedLead = selectFirst(query, selectors.lead, 'lead');
  return { title, titleEl, dateFound, publishedAt, modifiedAt, authorFound, section, keywords, canonicalUrl, selectedLead };
}

/** Our body: the density pick (or JSON-LD's articleBody), cleaned, and why it is no article when it is none. */
interface DensityBody {
  found: Found<Element> | null;
  /** Where it sat before cleaning detached anything: a teaser among many means a listing. */
  parent: Element | null;
  text: string;
  listing: NoArticle | null;
  /** Kinds of PRUNED_LINES its cleaning took out. */
  pruned: Set<string>;
}

function densityBody(page: Page, lengths: Lengths, exclude: Array<Element | null | undefined>): DensityBody {
  const pruned = new Set<string>();
  const dom = chooseBody(page, lengths, exclude, pruned);
  const found = bodyFromJsonLd(page.data, dom, dom ? (lengths.get(dom.value)?.len ?? 0) : 0) ?? dom;
  const root = found?.value ?? null;
  const parent = root && isElement(root.parent) ? root.parent : null;
  if (root) sanitizeTree({ baseUrl: page.url }, root);
  const text = root ? plainText(root) : '';
  return { found, parent, text, listing: root ? noArticleReason(root, text, parent, page.url) : null, pruned };
}

/** Ours or Readability's body, by body-choice's rules; a listing's teasers or headline block stays refused. */
function pickBody(html: string, page: Page, ours: DensityBody, pageText: PageText, known: string[]): Choice {
  const { found, listing, text } = ours;
  const root = found?.value ?? null;
  // A teaser's second opinion would only pick another teaser.
  const askable = found?.rule !== 'selector' && listing !== 'teaser';
  const ask = (): BodyCandidate | null => {
    const other = secondOpinion(html, page.url, known);
    // Its place in our tree is unknown: a short opinion opening with a link is taken for a teaser.
    const teaser = other && other.text.length < 600 && opensWithLink(other.root);
    // Without a place in our tree, the reason can only be `short` or `headlines`.
    return other && !teaser && noArticleReason(other.root, other.text, null, page.url) === null ? other : null;
  };
  const oursRule = listing ? `${found?.rule}-${listing}` : (found?.rule ?? 'none');
  const choice = chooseBetween(root && !listing ? { root, text } : null, oursRule, pageText, askable ? ask : null);
  if (choice.body || !askable || listing === 'headlines') return choice;
  // Nothing found and no listing: the page's own paragraphs, vetted as a second opinion is.
  const baseline = paragraphBaseline(html, page.url);
  return baseline && noArticleReason(baseline.root, baseline.text, null, page.url) === null
    ? { body: baseline, rule: 'paragraphs:last-resort' }
    : choice;
}

/** Rules of a body picked in the page's own tree: only there does what was printed before it tell a standfirst. */
const PLACED_BODY = new Set(['density', 'microdata:articleBody']);

/** The standfirst's blocks as text lines, less those the body repeats. */
function standfirstText(blocks: Element[], bodyText: string): string[] {
  // Most pages print none: the whole body is cleaned only for those that do.
  if (!blocks.length) return [];
  const body = clean(bodyText);
  return blocks.map((el) => clean(textOf(el))).filter((line) => line && !body.includes(line));
}

export function extractArticle(input: string, url: string, options: ExtractOptions = {}): ExtractedArticle {
  // Every rule reads composed text (NFD `hóa` is six code units and would match no marker); fetch already composes it.
  const html = toNFC(input);
  const selectors = options.selectors ?? {};
  const document = Object.keys(selectors).length ? parseAsBrowser(html) : parseDocument(html);
  let $: CheerioAPI | null = null;
  const query: Query = () => ($ ??= cheerio.load(document));
  const now = options.now ?? new Date();
  const index = indexPage(document);
  const data = readStructured(index);
  const body = (tagged(index, 'body')[0] ?? document) as Element;
  const page: Page = { query, url, now, selectors, data, body, index, shownText: textReader(), foldedLine: lineFolder() };
  const trace: FieldTrace[] = [];
  const fieldLengths = computeStats(body);
  const fields = readFields(page, fieldLengths, trace);
  const { title, titleEl, dateFound, publishedAt, modifiedAt, section, keywords, canonicalUrl, selectedLead } = fields;
  let { authorFound } = fields;

  const lengths = removeConfigured(page, fieldLengths);
  // The page's prose and its standfirst read the same paragraphs as the fields, before any cleaning.
  const { shownText } = page;
  const pageText: PageText = { length: lengths.get(body)?.len ?? 0, prose: pageProse(index, shownText) };
  const sourceLine = findSourceLine(body, titleEl, index.order, lengths, shownText);
  // What the other fields took: neither body nor standfirst.
  const taken = [dateFound?.element, authorFound?.element, sourceLine?.element, selectedLead, ...index.crumbs];
  const leadBlocks = standfirstCandidates(index, titleEl, taken, shownText, page.foldedLine);
  const ours = densityBody(page, lengths, [titleEl, ...taken]);
  const known = [title, ...[dateFound?.element, authorFound?.element, sourceLine?.element].map((el) => (el ? textOf(el) : ''))];
  const choice = pickBody(html, page, ours, pageText, known);
  const root = choice.body?.root ?? null;
  const densityRoot = ours.found?.value ?? null;
  const bodyParent = root === densityRoot ? ours.parent : null;
  trace.push({ field: 'body', rule: choice.rule, value: root ? tagOf(root) : null });
  const pruned = [...((root === densityRoot ? ours.pruned : choice.body?.pruned) ?? [])];
  trace.push({ field: 'pruned', rule: pruned.length ? pruned.join(' ') : 'none', value: null });

  const credits = root ? takeTrailingCredits(root, authorFound?.value ?? null) : { author: null, sourceName: null };
  if (!authorFound && credits.author) authorFound = { value: credits.author, rule: 'last-line-author' };
  const author = record(trace, 'author', authorFound ? { ...authorFound, value: clean(authorFound.value) } : null);
  const sourceName = record(trace, 'sourceName', credits.sourceName ? { value: credits.sourceName, rule: 'source-credit' } : sourceLine);

  // The text is the body as a reader sees it, lead paragraph included; contentHtml leaves the lead to its own field.
  // The choice read it already: it changed only if a credit line was taken out.
  const creditTaken = !!(credits.author || credits.sourceName);
  const bodyText = !root ? '' : creditTaken ? plainText(root) : (choice.body?.text ?? '');
  // A body picked in our tree tells by its place what was printed before it; another (Readability's, JSON-LD's) by
  // the first of our blocks that its text holds. A configured body is the whole text.
  const placed = root === densityRoot && PLACED_BODY.has(ours.found?.rule ?? '');
  const configured = root === densityRoot && ours.found?.rule === 'selector';
  const standfirst =
    !root || configured
      ? []
      : standfirstText(placed ? takeStandfirst(leadBlocks, root, index, titleEl) : standfirstByText(leadBlocks, bodyText), bodyText);
  // A second opinion was vetted when it was asked for; ours was when it was chosen (a listing's never is), and is
  // again only if a credit line was taken out since.
  const refused = !root || (root === densityRoot && creditTaken && noArticleReason(root, bodyText, bodyParent, url) !== null);
  // Feeds print the lead above contentHtml, which holds no standfirst: the standfirst is the lead.
  const leadFound =
    standfirst.length && !selectedLead
      ? { value: standfirst.join(' '), rule: 'standfirst' }
      : takeLead(root, bodyText, data, title, selectedLead ? clean(textOf(selectedLead)) : null);
  const lead = record(trace, 'lead', leadFound);
  // A sapo printed just above the body is the article's first paragraph too.
  const sapo = lead && leadFound?.rule.startsWith('sapo') && !standfirst.includes(lead) ? [lead] : [];
  const text = [...standfirst, ...sapo, bodyText].filter(Boolean).join('\n\n');
  const contentHtml = root ? serialise({ baseUrl: url }, root) : '';
  const image = record(trace, 'image', imageOf(query, data, url, selectors, root));

  const errorPage = text.length < 500 && ERROR_PAGE.test(foldVietnamese(`${title} ${text}`));
  if (!title || refused || errorPage) {
    throw new ExtractError(`no article found at ${url}: ${!title ? 'no title' : errorPage ? 'an error page' : 'no body text'}`, { details: { url } });
  }
  return { url, canonicalUrl, title, publishedAt, modifiedAt, author, sourceName, lead, contentHtml, text, image, section, keywords, trace };
}
