/** Listing pages: article links in page order, and the next page. */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Selectors } from '../config/schema.js';
import { ExtractError } from '../core/errors.js';
import { foldVietnamese } from '../core/text.js';
import type { ListingPage } from '../core/types.js';
import { type Element, ancestors, hintOf, isElement, tagOf, textOf } from './dom.js';
import { absoluteUrl } from './images.js';
import { NEGATIVE_HINT, UNLIKELY_SEMANTIC } from './markers.js';

export interface ListingOptions {
  /** Regex on path + query of article URLs. */
  linkPattern?: string;
  selectors?: Selectors;
}

const NEXT_TEXTS = /^(?:trang sau|trang tiep|tiep|tiep theo|sau|next|next page|›|»|>|>>|→|trang ke|xem tiep)$/;
const PAGER_HINT = /pag|trang|phan-?trang/;
const PAGE_PARAMS = /([?&](?:page|p|trang|cur|[\w-]*_cur|paged|pageindex|pagenumber)=)(\d+)|(\/(?:page|trang)[/-])(\d+)/i;

function sameSite(a: URL, b: URL): boolean {
  return a.hostname.replace(/^www\./, '') === b.hostname.replace(/^www\./, '');
}

function normalised(href: string | undefined, base: string): URL | null {
  if (!href || href.startsWith('#') || /^\s*(?:javascript|mailto|tel):/i.test(href)) return null;
  const abs = absoluteUrl(href, base);
  if (!abs) return null;
  const url = new URL(abs);
  url.hash = '';
  return url;
}

function headlineLike(a: Element): boolean {
  const text = textOf(a) || a.attribs.title || '';
  return (foldVietnamese(text).match(/[\p{L}\p{N}]+/gu) ?? []).length >= 4;
}

function inChrome(a: Element): boolean {
  return ancestors(a).some((p) => UNLIKELY_SEMANTIC.has(tagOf(p)) || (NEGATIVE_HINT.test(hintOf(p)) && !/content|main|list/.test(hintOf(p))));
}

/** Structural signature of a link: the chain of tag names above it. Items of one list share it. */
function signature(a: Element): string {
  return ancestors(a)
    .slice(0, 6)
    .map((p) => tagOf(p))
    .join('<');
}

function urlShape(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean);
  return `${segments.length}:${segments[0] ?? ''}`;
}

/** Article URLs carry an id (a long number, a `.html` page); section and tag pages do not. */
// A long slug (`/cong-an-huyen-huong-hoa-triet-pha/`) names one article too: WordPress permalinks carry no id.
const ARTICLE_ID =
  /\d{4,}|\/[\p{L}\d]+(?:-[\p{L}\d]+){3,}\/?$|\.html?$|\.aspx?\?|\.php\?|[?&](?:id|itemid|newsid|news_id|articleid|article_id|nid|pid|p)=[\w-]*\d/iu;
const SECTION_PATH = /\/(?:category|tag|tags|chuyen-muc|danh-muc|author|tac-gia)\//i;

function articleIdentified(url: URL): boolean {
  return ARTICLE_ID.test(url.pathname + url.search) && !SECTION_PATH.test(url.pathname);
}

function heuristicLinks(anchors: Array<{ el: Element; url: URL }>): URL[] {
  const candidates = anchors.filter((a) => headlineLike(a.el) && !inChrome(a.el));
  // Items of the main list share a markup path and a URL shape; rank groups by distinct URLs.
  const groups = new Map<string, Set<string>>();
  for (const c of candidates) {
    const key = `${signature(c.el)}|${urlShape(c.url)}`;
    groups.set(key, (groups.get(key) ?? new Set()).add(c.url.href));
  }
  const [topKey] = [...groups.entries()].sort((a, b) => b[1].size - a[1].size)[0] ?? [];
  if (topKey === undefined) return [];
  const main = candidates.filter((c) => `${signature(c.el)}|${urlShape(c.url)}` === topKey);
  const shape = urlShape(main[0]!.url);
  const markup = signature(main[0]!.el);
  // A list may mix URL generations (3CMS and new-portal links side by side): same markup counts too.
  // An item of the main list with a short title (`Tập huấn`) is still one of its articles.
  const shortTitled = anchors.filter(
    (a) => !headlineLike(a.el) && signature(a.el) === markup && urlShape(a.url) === shape && articleIdentified(a.url) && !inChrome(a.el),
  );
  const alike = [...candidates, ...shortTitled].filter((c) => urlShape(c.url) === shape || (signature(c.el) === markup && articleIdentified(c.url)));
  const container = widen(commonAncestor(main.map((c) => c.el)), alike, new Set(main.map((c) => c.url.href)).size);
  return alike.filter((c) => !container || ancestors(c.el).includes(container)).map((c) => c.url);
}

/** Climbs from the main list to take in a featured item or two, but stops before a sidebar of the same kind. */
function widen(start: Element | null, candidates: Array<{ el: Element; url: URL }>, mainSize: number): Element | null {
  let container = start;
  const inside = (el: Element | null): Set<string> => new Set(candidates.filter((c) => el && ancestors(c.el).includes(el)).map((c) => c.url.href));
  for (let level = 0; container && level < 3; level++) {
    const parent: Element | null = container.parent && isElement(container.parent) ? container.parent : null;
    if (!parent || tagOf(parent) === 'body') break;
    const extra = inside(parent).size - inside(container).size;
    if (extra > Math.max(2, mainSize * 0.3)) break;
    container = parent;
  }
  return container;
}

function commonAncestor(elements: Element[]): Element | null {
  if (elements.length === 0) return null;
  let chain = ancestors(elements[0]!);
  for (const el of elements.slice(1)) {
    const set = new Set(ancestors(el));
    chain = chain.filter((a) => set.has(a));
  }
  return chain[0] ?? null;
}

function currentPage(url: URL, $: CheerioAPI): number {
  const match = PAGE_PARAMS.exec(url.pathname + url.search);
  if (match) return Number(match[2] ?? match[4]);
  const active = $('[class*="active" i], [class*="current" i], [aria-current]')
    .toArray()
    .map((e) => textOf(e))
    .find((t) => /^\d{1,4}$/.test(t));
  return active ? Number(active) : 1;
}

function findNextPage($: CheerioAPI, pageUrl: string, selectors: Selectors): string | null {
  const page = new URL(pageUrl);
  const resolve = (href: string | undefined): string | null => {
    const url = normalised(href, pageUrl);
    return url && sameSite(url, page) && url.href !== page.href ? url.href : null;
  };
  if (selectors.nextPage) return resolve($(selectors.nextPage).first().attr('href'));
  const rel = resolve($('link[rel~="next" i], a[rel~="next" i]').first().attr('href'));
  if (rel) return rel;
  const anchors = $('a[href]').toArray();
  for (const a of anchors) {
    const label = foldVietnamese(textOf(a) || a.attribs.title || a.attribs['aria-label'] || '').trim();
    const text = label.replace(/\s*[»›>→]+$/, '').trim() || label;
    if (NEXT_TEXTS.test(text) || /^(?:trang sau|trang tiep|next)\b/.test(text)) {
      const href = resolve(a.attribs.href);
      if (href) return href;
    }
  }
  const current = currentPage(page, $);
  for (const a of anchors) {
    if (textOf(a) !== String(current + 1)) continue;
    if (!ancestors(a).some((p) => PAGER_HINT.test(hintOf(p)) || tagOf(p) === 'nav' || tagOf(p) === 'ul')) continue;
    const href = resolve(a.attribs.href);
    if (href) return href;
  }
  // An arrow or icon link whose URL is this page's URL with the page number one higher.
  const stem = (u: URL): string => (u.pathname + u.search).replace(PAGE_PARAMS, '$1$3#');
  for (const a of anchors) {
    const url = normalised(a.attribs.href, pageUrl);
    const match = url ? PAGE_PARAMS.exec(url.pathname + url.search) : null;
    if (!url || !match || Number(match[2] ?? match[4]) !== current + 1) continue;
    const samePath = PAGE_PARAMS.test(page.pathname + page.search)
      ? stem(url) === stem(page)
      : url.pathname.startsWith(page.pathname.replace(/\/$/, ''));
    const href = samePath ? resolve(a.attribs.href) : null;
    if (href) return href;
  }
  return null;
}

function patternLinks(anchors: Array<{ el: Element; url: URL }>, pattern: RegExp): URL[] {
  const matching = anchors.filter((a) => pattern.test(a.url.pathname + a.url.search));
  const main = matching.filter((a) => !inChrome(a.el));
  return (main.length ? main : matching).map((a) => a.url);
}

export function extractListing(html: string, pageUrl: string, options: ListingOptions = {}): ListingPage {
  const $ = cheerio.load(html);
  const page = new URL(pageUrl);
  let pattern: RegExp | null = null;
  if (options.linkPattern) {
    try {
      pattern = new RegExp(options.linkPattern);
    } catch (cause) {
      throw new ExtractError(`invalid linkPattern "${options.linkPattern}"`, { cause });
    }
  }
  const selector = options.selectors?.listingLinks ?? 'a[href]';
  const anchors = $(selector)
    .toArray()
    .flatMap((el) => {
      const found = tagOf(el) === 'a' ? el : $(el).find('a[href]').first()[0];
      const a = isElement(found) ? found : null;
      const url = a ? normalised(a.attribs.href, pageUrl) : null;
      return a && url && sameSite(url, page) && url.pathname !== page.pathname ? [{ el: a, url }] : [];
    });
  const urls = pattern ? patternLinks(anchors, pattern) : options.selectors?.listingLinks ? anchors.map((a) => a.url) : heuristicLinks(anchors);
  const links = [...new Set(urls.map((u) => u.href))];
  return { url: pageUrl, links, nextPage: findNextPage($, pageUrl, options.selectors ?? {}) };
}
