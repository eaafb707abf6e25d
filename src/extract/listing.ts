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
  return ancestors(a).slice(0, 6).map((p) => tagOf(p)).join('<');
}

function urlShape(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean);
  return `${segments.length}:${segments[0] ?? ''}`;
}

function heuristicLinks(anchors: Array<{ el: Element; url: URL }>): URL[] {
  const candidates = anchors.filter((a) => headlineLike(a.el) && !inChrome(a.el));
  const groups = new Map<string, number>();
  for (const c of candidates) groups.set(signature(c.el), (groups.get(signature(c.el)) ?? 0) + 1);
  const [topSignature] = [...groups.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (topSignature === undefined) return [];
  const main = candidates.filter((c) => signature(c.el) === topSignature);
  const shapes = new Set(main.map((c) => urlShape(c.url)));
  const container = commonAncestor(main.map((c) => c.el));
  return candidates
    .filter((c) => shapes.has(urlShape(c.url)) && (!container || ancestors(c.el).includes(container)))
    .map((c) => c.url);
}

/**
 * Links matching the source's pattern, leaving out those in page chrome (menus, sidebars with
 * "most read" lists, footers) unless the chrome is all there is.
 */
function patternLinks(anchors: Array<{ el: Element; url: URL }>, pattern: RegExp): URL[] {
  const matching = anchors.filter((a) => pattern.test(a.url.pathname + a.url.search));
  const main = matching.filter((a) => !inChrome(a.el));
  return (main.length ? main : matching).map((a) => a.url);
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
    const text = foldVietnamese(textOf(a) || a.attribs.title || a.attribs['aria-label'] || '').trim();
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
  return null;
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
  const urls = pattern
    ? patternLinks(anchors, pattern)
    : options.selectors?.listingLinks
      ? anchors.map((a) => a.url)
      : heuristicLinks(anchors);
  const links = [...new Set(urls.map((u) => u.href))];
  return { url: pageUrl, links, nextPage: findNextPage($, pageUrl, options.selectors ?? {}) };
}
