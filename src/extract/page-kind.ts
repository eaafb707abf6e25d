/**
 * What kind of page a URL answered with: an article, or one of the pages that must never become an item
 * (a listing, a tag or author page, search results, site chrome, an error page served with status 200).
 * Rules are data; the code below applies them in order, first match wins.
 */
import type { Document, Element, AnyNode } from 'domhandler';
import { foldVietnamese, collapseWhitespace } from '../core/text.js';
import type { ExtractedArticle } from '../core/types.js';
import { extractArticle, type ExtractOptions } from './article.js';
import { parseDate } from './dates.js';
import { DOCUMENT_LINK, ERROR_PAGE } from './markers.js';
import { parseDocument } from './parse.js';

export type PageKind = 'article' | 'listing' | 'tag' | 'author' | 'search' | 'chrome' | 'error';

export interface PageVerdict {
  kind: PageKind;
  /** The rule that decided, for logs, `inspect` and `discover`. */
  reason: string;
  /** False only for the fallback "no article text": a broken article page looks the same. */
  decisive: boolean;
}

/** Paths (and queries) that name a kind of page whatever it looks like. Matched on the folded, lowercased path + query. */
export const URL_KINDS: Array<{ kind: Exclude<PageKind, 'article'>; re: RegExp }> = [
  { kind: 'tag', re: /\/(?:tag|tags|the|tu-khoa|keyword|keywords|chu-de-tag)\/[^/]+/ },
  { kind: 'author', re: /\/(?:author|tac-gia|nguoi-viet|writer)\/[^/]+|[?&]author=\d/ },
  { kind: 'search', re: /\/(?:search|tim-kiem|timkiem|ket-qua-tim-kiem)(?:[/.?]|$)|[?&](?:s|q|keyword|tu-khoa|searchtext|search)=/ },
  { kind: 'listing', re: /\/(?:category|categories|chuyen-muc|danh-muc)\/[^/]+\/?(?:page\/\d+\/?)?$|\/page\/\d+\/?$|\/feed\/?$/ },
  {
    kind: 'chrome',
    re: /\/(?:lien-he|lienhe|contact(?:-us)?|gioi-thieu|gioithieu|about(?:-us)?|dang-nhap|dangnhap|login|sign-?in|dang-ky|register|so-do-(?:site|trang|cong)|sitemap|site-map|wp-login\.php|wp-admin|hoi-dap|gop-y|dich-vu-cong|thu-tuc-hanh-chinh|van-ban|documents|van-ban-phap-luat|cong-bao|lich-cong-tac|danh-ba|privacy|chinh-sach-bao-mat|dieu-khoan)(?:[/.?#]|$)/,
  },
];

/** WordPress and friends say what a page is in `<body class>`. */
export const BODY_CLASS_KINDS: Array<{ kind: Exclude<PageKind, 'article'>; re: RegExp }> = [
  { kind: 'error', re: /(?:^|\s)error404(?:\s|$)/ },
  { kind: 'search', re: /(?:^|\s)search(?:-results|-no-results)?(?:\s|$)/ },
  { kind: 'tag', re: /(?:^|\s)tag(?:-\S+)?(?:\s|$)/ },
  { kind: 'author', re: /(?:^|\s)author(?:-\S+)?(?:\s|$)/ },
  { kind: 'listing', re: /(?:^|\s)(?:archive|category|blog|home|date|paged)(?:\s|$)/ },
  { kind: 'chrome', re: /(?:^|\s)(?:page-template(?:-\S+)?|page-id-\d+)(?:\s|$)/ },
];

/** Titles (folded) of pages that are about the site rather than news. */
export const CHROME_TITLES =
  /^(?:lien he|thong tin lien he|gioi thieu(?: chung)?|to chuc bo may|co cau to chuc|chuc nang(?:,)? nhiem vu|lich su(?: truyen thong| hinh thanh)?|ban lanh dao|lanh dao (?:so|tinh|uy ban)|so do (?:site|trang|cong thong tin)|dang nhap|dang ky|tim kiem|hoi dap|gop y|van ban(?: phap luat| chi dao dieu hanh)?|dich vu cong(?: truc tuyen)?|thu tuc hanh chinh|chinh sach bao mat|dieu khoan su dung|contact(?: us)?|about(?: us)?|login|sign in|search|sitemap|privacy policy)\b/;

/** How many dated or summarised headline items make a page a listing. */
export const LISTING_MIN_ITEMS = 4;
/** Shorter than this, a dateless page without article metadata is chrome, not news. */
export const DATELESS_MIN_TEXT = 1500;
/** A headline has at least this many words. */
const HEADLINE_MIN_WORDS = 4;
/** Text around a headline, beyond its own words, that reads as a summary. */
const SUMMARY_MIN_CHARS = 60;
const ITEM_MAX_CHARS = 1200;
/** A picture link and a title link to one article: twice. More is a category or a "more" link. */
const MAX_HEADLINE_REPEATS = 2;
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'form', 'menu', 'dialog', 'script', 'style', 'noscript', 'template']);
const ARTICLE_TYPES = /^(?:article|newsarticle|reportagenewsarticle|blogposting|analysisnewsarticle|report|liveblogposting)$/i;

/** One entry of a list of articles: its headline link and what sits beside it. */
export interface ListingItem {
  url: string;
  title: string;
  date: string | null;
  summary: string | null;
}

export function isElement(node: AnyNode | null | undefined): node is Element {
  return !!node && (node.type === 'tag' || node.type === 'script' || node.type === 'style');
}

/** Visits elements in document order; a visitor returning false skips the element's subtree. */
export function walk(node: AnyNode, visit: (el: Element) => boolean | void): void {
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const current = stack.pop()!;
    if (isElement(current) && visit(current) === false) continue;
    const kids = 'children' in current ? (current.children as AnyNode[]) : [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** Visible text, blocks spaced, white space collapsed. */
export function elementText(node: AnyNode): string {
  let out = '';
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const current = stack.pop()!;
    if (current.type === 'text') out += (current as unknown as { data: string }).data;
    else if (isElement(current) && (current.name === 'script' || current.name === 'style')) continue;
    else if (current.type === 'tag' && (current.name === 'br' || current.name === 'p' || current.name === 'div')) out += ' ';
    const kids = 'children' in current ? (current.children as AnyNode[]) : [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return collapseWhitespace(out).trim();
}

export function inChrome(el: Element): boolean {
  for (let p: AnyNode | null = el.parent; p && isElement(p); p = p.parent) {
    if (CHROME_TAGS.has(p.name)) return true;
    const hint = `${p.attribs.class ?? ''} ${p.attribs.id ?? ''} ${p.attribs.role ?? ''}`.toLowerCase();
    if (/\b(?:menu|navbar|navigation|nav|breadcrumb|footer|header|sidebar|widget|pagination|pager)\b/.test(hint)) return true;
  }
  return false;
}

function sameSite(a: URL, b: URL): boolean {
  return a.hostname.replace(/^www\./, '') === b.hostname.replace(/^www\./, '');
}

/**
 * Headline links of the page's lists with the date or summary printed beside each: the entries of a listing page.
 * An item is the largest element around a headline holding no other headline.
 */
export function listingItems(source: string | Document, pageUrl: string): ListingItem[] {
  const document = typeof source === 'string' ? parseDocument(source) : source;
  const page = new URL(pageUrl);
  const anchors: Array<{ el: Element; url: string; title: string }> = [];
  walk(document, (el) => {
    if (CHROME_TAGS.has(el.name)) return false;
    if (el.name !== 'a' || !el.attribs.href || el.attribs.href.startsWith('#')) return;
    let url: URL;
    try {
      url = new URL(el.attribs.href, pageUrl);
    } catch {
      return;
    }
    if (!/^https?:$/.test(url.protocol) || !sameSite(url, page) || url.pathname === '/' || DOCUMENT_LINK.test(url.pathname)) return;
    url.hash = '';
    if (url.href === page.href) return;
    // Category, tag and author links sit beside headlines; they are no headlines themselves.
    if (/\b(?:tag|category)\b/.test(el.attribs.rel ?? '') || urlKindOf(url)) return;
    const title = elementText(el) || el.attribs.title || '';
    if ((foldVietnamese(title).match(/[\p{L}\p{N}]+/gu) ?? []).length < HEADLINE_MIN_WORDS || inChrome(el)) return;
    anchors.push({ el, url: url.href, title });
  });
  // A link repeated on every entry (its category, "read more" to one place) is no headline.
  const seen = new Map<string, number>();
  for (const a of anchors) seen.set(a.url, (seen.get(a.url) ?? 0) + 1);
  const headlines = anchors.filter((a) => seen.get(a.url)! <= MAX_HEADLINE_REPEATS);
  // Which headline URLs each ancestor holds: an item grows while it holds one only.
  const held = new Map<Element, Set<string>>();
  for (const a of headlines) {
    for (let p: AnyNode | null = a.el.parent; p && isElement(p); p = p.parent) {
      let set = held.get(p);
      if (!set) held.set(p, (set = new Set()));
      set.add(a.url);
    }
  }
  const items = new Map<string, ListingItem>();
  for (const a of headlines) {
    let item: Element = a.el;
    for (let p: AnyNode | null = a.el.parent; p && isElement(p) && p.name !== 'body'; p = p.parent) {
      if ((held.get(p)?.size ?? 0) > 1) break;
      item = p;
    }
    const text = elementText(item);
    if (text.length > ITEM_MAX_CHARS) continue;
    const rest = collapseWhitespace(text.replace(a.title, ' ')).trim();
    let date: string | null = null;
    walk(item, (el) => {
      if (!date && el.name === 'time' && el.attribs.datetime) date = parseDate(el.attribs.datetime)?.iso ?? null;
    });
    date ??= rest ? (parseDate(rest.slice(0, 200))?.iso ?? null) : null;
    const summaryText = rest.replace(/^[\s\-–|:()[\]\d/.,]+/, '').trim();
    const summary = summaryText.length >= SUMMARY_MIN_CHARS ? summaryText.slice(0, 300) : null;
    const previous = items.get(a.url);
    if (!previous || (!previous.date && date) || (!previous.summary && summary)) {
      items.set(a.url, {
        url: a.url,
        title: previous && previous.title.length > a.title.length ? previous.title : a.title,
        date: date ?? previous?.date ?? null,
        summary: summary ?? previous?.summary ?? null,
      });
    }
  }
  return [...items.values()];
}

/** Items with a date or a summary beside their headline: what tells a news list from a menu. */
export function describedItems(items: ListingItem[]): ListingItem[] {
  return items.filter((item) => item.date || item.summary);
}

/** Text of its own an article keeps once its listed headlines and their summaries are taken out. */
const OWN_TEXT_MIN = 400;

/** True when what extraction took for the body is the page's list of headlines (a listing read as an article). */
export function bodyIsList(items: ListingItem[], article: ExtractedArticle): boolean {
  const inBody = items.filter((item) => article.text.includes(item.title));
  if (inBody.length < 2 || inBody.length < Math.min(3, items.length)) return false;
  let own = article.text;
  for (const item of inBody) {
    own = own.replace(item.title, ' ');
    if (item.summary) own = own.replace(item.summary.replace(/…$/, ''), ' ');
  }
  return collapseWhitespace(own).length < OWN_TEXT_MIN;
}

interface PageSignals {
  bodyClass: string;
  title: string;
  h1: string;
  ogType: string;
  articleMeta: boolean;
  ldTypes: string[];
}

function signalsOf(document: Document): PageSignals {
  const signals: PageSignals = { bodyClass: '', title: '', h1: '', ogType: '', articleMeta: false, ldTypes: [] };
  walk(document, (el) => {
    const a = el.attribs;
    switch (el.name) {
      case 'body':
        signals.bodyClass = (a.class ?? '').toLowerCase();
        break;
      case 'title':
        signals.title ||= elementText(el);
        break;
      case 'h1':
        signals.h1 ||= elementText(el);
        break;
      case 'meta': {
        const key = (a.property ?? a.name ?? '').toLowerCase();
        if (key === 'og:type') signals.ogType = (a.content ?? '').toLowerCase();
        if (key === 'article:published_time' && a.content) signals.articleMeta = true;
        break;
      }
      case 'script':
        if ((a.type ?? '').toLowerCase() === 'application/ld+json')
          signals.ldTypes.push(...ldTypes(el.children.map((c) => (c.type === 'text' ? c.data : '')).join('')));
        return false;
    }
  });
  return signals;
}

function ldTypes(json: string): string[] {
  const types: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1));
    const record = value as Record<string, unknown>;
    const type = record['@type'];
    for (const t of Array.isArray(type) ? type : [type]) if (typeof t === 'string') types.push(t);
    if (record['@graph']) visit(record['@graph'], depth + 1);
  };
  try {
    visit(JSON.parse(json), 0);
  } catch {
    // Broken JSON-LD says nothing.
  }
  return types;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The kind a URL alone names (a tag, author, search, category or site page), or null. */
export function urlKindOf(url: string | URL): Exclude<PageKind, 'article'> | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  const target = foldVietnamese(decodeURIComponentSafe(parsed.pathname + parsed.search)).toLowerCase();
  return URL_KINDS.find((r) => r.re.test(target))?.kind ?? null;
}

function urlKind(url: string): PageVerdict | null {
  const kind = urlKindOf(url);
  return kind ? { kind, reason: `url: ${kind} path`, decisive: true } : null;
}

/**
 * Classifies a fetched page. `article` is what extraction made of it, or null when extraction found none.
 * Structured article metadata outweighs URL words (a news story may well be about "liên hệ"), never an error page.
 */
export function classifyPage(html: string | Document, url: string, article: ExtractedArticle | null): PageVerdict {
  const document = typeof html === 'string' ? parseDocument(html) : html;
  const s = signalsOf(document);
  const foldedHeading = foldVietnamese(`${s.h1 || s.title}`)
    .toLowerCase()
    .trim();
  if (ERROR_PAGE.test(foldVietnamese(`${s.title} ${s.h1}`).toLowerCase()) && (!article || article.text.length < 1500)) {
    return { kind: 'error', reason: 'title: an error page', decisive: true };
  }
  const bodyRule = BODY_CLASS_KINDS.find((r) => r.re.test(s.bodyClass));
  if (bodyRule && !/(?:^|\s)single(?:-post)?(?:\s|$)/.test(s.bodyClass))
    return { kind: bodyRule.kind, reason: `body class: ${bodyRule.kind}`, decisive: true };
  const marked = s.ogType === 'article' || s.articleMeta || s.ldTypes.some((t) => ARTICLE_TYPES.test(t));
  const byUrl = urlKind(url);
  if (byUrl && !marked) return byUrl;
  if (!article) {
    const items = describedItems(listingItems(document, url));
    if (items.length >= LISTING_MIN_ITEMS) return { kind: 'listing', reason: `${items.length} dated or summarised headlines`, decisive: true };
    return { kind: 'chrome', reason: 'no article text', decisive: false };
  }
  const items = describedItems(listingItems(document, url));
  if (bodyIsList(items, article)) return { kind: 'listing', reason: `the body is ${items.length} listed headlines`, decisive: true };
  if (!marked && !article.publishedAt) {
    if (CHROME_TITLES.test(foldedHeading) || CHROME_TITLES.test(foldVietnamese(article.title).toLowerCase())) {
      return { kind: 'chrome', reason: 'title: a page about the site', decisive: true };
    }
    if (article.text.length < DATELESS_MIN_TEXT) return { kind: 'chrome', reason: 'no date, no article metadata, little text', decisive: true };
  }
  return { kind: 'article', reason: marked ? 'article metadata' : article.publishedAt ? 'dated text' : 'long text', decisive: true };
}

/** A fetched page as the crawl reads it: extracted, then classified; a failed extraction is kept as `failure`. */
export interface ArticlePage {
  article: ExtractedArticle | null;
  verdict: PageVerdict;
  failure: unknown;
}

export function readArticlePage(html: string, url: string, options: ExtractOptions): ArticlePage {
  let article: ExtractedArticle | null = null;
  let failure: unknown = null;
  try {
    article = extractArticle(html, url, options);
  } catch (err) {
    failure = err;
  }
  return { article, verdict: classifyPage(html, url, article), failure };
}
