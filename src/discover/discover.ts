/**
 * Discovery: from a portal's address alone, its news sections (menus and section links of the homepage), the
 * article link pattern of each, its sitemaps and the feeds it advertises that answer with items.
 */
import type { Document, Element } from 'domhandler';
import Parser from 'rss-parser';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { collapseWhitespace, foldVietnamese } from '../core/text.js';
import {
  bodyIsList,
  classifyPage,
  readArticlePage,
  describedItems,
  elementText,
  extractArticle,
  inChrome,
  listingItems,
  parseDocument,
  urlKindOf,
  walk,
  type ListingItem,
} from '../extract/index.js';
import type { FetchResponse, HttpClient } from '../fetch/index.js';
import { derivePattern, matchesPattern, unionPattern } from './pattern.js';
import { FILE_LINK, LIMITS, MENU_HINT, MENU_TAGS, MORE_LABELS, NOT_SECTION_LABELS, SITEMAP_PATHS } from './rules.js';
import { parseSitemap, sitemapsFromRobots, type SitemapEntry } from './sitemap.js';

export interface DiscoveredSection {
  id: string;
  name: string;
  /** Path (and query) on the base URL, or an absolute URL on another host of the site. */
  url: string;
  linkPattern: string | null;
}

/** What the store keeps per source (`discovery:<sourceId>`), refreshed at most daily. */
export interface Discovery {
  version: 1;
  baseUrl: string;
  discoveredAt: string;
  siteName: string | null;
  sections: DiscoveredSection[];
  /** One pattern for every article link found (sections and sitemap). */
  linkPattern: string | null;
  /** Root sitemaps that answered with entries. */
  sitemaps: string[];
  /** Advertised feeds that answered with items. */
  feeds: string[];
  /** What was tried, in order, with what came of it: for `discover` and logs. */
  tried: string[];
}

/** Discovery plus what was read on the way, for a preview without fetching the lists again. */
export interface DiscoveryRun {
  discovery: Discovery;
  /** Listed article links per section URL (absolute), page order. */
  listed: Map<string, ListingItem[]>;
  /** Sitemap entries matching the link pattern, newest first. */
  sitemapEntries: SitemapEntry[];
  feedLinks: string[];
}

export interface DiscoverDeps {
  http: HttpClient;
  logger: Logger;
  now: () => Date;
  signal?: AbortSignal;
}

const FEED_TYPES = /^application\/(?:rss|atom)\+xml$|^application\/feed\+json$/i;
const feedParser = new Parser();

function slugOf(text: string): string {
  return (
    foldVietnamese(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'section'
  );
}

function sameSite(a: URL, b: URL): boolean {
  return a.hostname.replace(/^www\./, '') === b.hostname.replace(/^www\./, '');
}

/** A path when the URL is on the base URL's origin, else the absolute URL. */
export function relativeTo(url: string, baseUrl: string): string {
  const u = new URL(url);
  return u.origin === new URL(baseUrl).origin ? `${u.pathname}${u.search}` : u.href;
}

function isHtml(response: FetchResponse): boolean {
  return !response.contentType || /html|xml/i.test(response.contentType);
}

interface Candidate {
  url: string;
  label: string;
}

/** The site's own name: og:site_name, else the homepage title without "Trang chủ". */
function siteNameOf(doc: Document): string | null {
  let ogName = null as string | null;
  let title = null as string | null;
  walk(doc, (el) => {
    if (el.name === 'meta' && (el.attribs.property ?? el.attribs.name)?.toLowerCase() === 'og:site_name' && el.attribs.content) {
      ogName ??= collapseWhitespace(el.attribs.content).trim();
    }
    if (el.name === 'title') title ??= elementText(el);
    if (el.name === 'body') return false;
  });
  const raw = ogName ?? title;
  if (!raw) return null;
  const parts = raw
    .split(/\s+[|–—-]\s+|\s*[|»]\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  const named = parts.filter((p) => !/^(?:trang chu|home|trang nhat|homepage)$/i.test(foldVietnamese(p).toLowerCase()));
  return (named.length ? named.join(' - ') : raw).slice(0, 120) || null;
}

function menuLike(el: Element): boolean {
  for (let p: Element | null = el; p; p = p.parent && p.parent.type === 'tag' ? (p.parent as Element) : null) {
    if (MENU_TAGS.has(p.name)) return true;
    const hint = `${p.attribs.class ?? ''} ${p.attribs.id ?? ''} ${p.attribs.role ?? ''}`.toLowerCase();
    if (MENU_HINT.test(hint)) return true;
  }
  return false;
}

function headingLink(el: Element): boolean {
  for (let p = el.parent, depth = 0; p && p.type === 'tag' && depth < 3; p = p.parent, depth++) {
    const name = (p as Element).name;
    if (/^h[1-4]$/.test(name)) return true;
    const hint = `${(p as Element).attribs.class ?? ''}`.toLowerCase();
    if (/\b(?:title|heading|header|cat|category|block-title|box-title)\b/.test(hint)) return true;
  }
  return false;
}

/** Menu links, homepage block headings and their "more" links, in that order: the places sections are named. */
export function sectionCandidates(doc: Document, pageUrl: string): Candidate[] {
  const page = new URL(pageUrl);
  const menu: Candidate[] = [];
  const blocks: Candidate[] = [];
  walk(doc, (el) => {
    if (el.name === 'script' || el.name === 'style' || el.name === 'footer') return false;
    if (el.name !== 'a' || !el.attribs.href) return;
    const href = el.attribs.href.trim();
    if (!href || href.startsWith('#') || /^(?:javascript|mailto|tel):/i.test(href) || FILE_LINK.test(href)) return;
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch {
      return;
    }
    url.hash = '';
    if (!/^https?:$/.test(url.protocol) || !sameSite(url, page) || (url.pathname === '/' && !url.search)) return;
    const label = collapseWhitespace(elementText(el) || el.attribs.title || '').trim();
    const folded = foldVietnamese(label).toLowerCase();
    const kind = urlKindOf(url);
    if (kind && kind !== 'listing') return;
    if (NOT_SECTION_LABELS.test(folded)) return;
    if (MORE_LABELS.test(folded)) {
      blocks.push({ url: url.href, label: '' });
      return;
    }
    const words = folded.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    if (words === 0 || words > 8) return;
    if (menuLike(el)) menu.push({ url: url.href, label });
    else if (headingLink(el) && !inChrome(el)) blocks.push({ url: url.href, label });
  });
  const seen = new Map<string, Candidate>();
  for (const c of [...menu, ...blocks]) {
    const known = seen.get(c.url);
    if (!known) seen.set(c.url, c);
    else if (!known.label && c.label) known.label = c.label;
  }
  return [...seen.values()];
}

/** `<link rel="alternate">` feeds of a page, absolute. */
export function advertisedFeeds(doc: Document, pageUrl: string): string[] {
  const feeds: string[] = [];
  walk(doc, (el) => {
    if (el.name === 'body') return false;
    const rel = (el.attribs.rel ?? '').toLowerCase().split(/\s+/);
    if (el.name !== 'link' || !rel.includes('alternate') || !FEED_TYPES.test((el.attribs.type ?? '').trim()) || !el.attribs.href) return;
    try {
      feeds.push(new URL(el.attribs.href, pageUrl).href);
    } catch {
      // Broken href: no feed.
    }
  });
  return [...new Set(feeds)];
}

class Discoverer {
  private readonly tried: string[] = [];
  private readonly listed = new Map<string, ListingItem[]>();
  private readonly feedCandidates: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly deps: DiscoverDeps,
  ) {}

  private note(line: string): void {
    this.tried.push(line);
    this.deps.logger.debug({ baseUrl: this.baseUrl }, `discover: ${line}`);
  }

  private async fetch(url: string, accept?: string): Promise<FetchResponse | null> {
    try {
      const response = await this.deps.http.get({ url, signal: this.deps.signal, ...(accept ? { accept } : {}) });
      return response;
    } catch (err) {
      this.note(`${url}: ${describeError(err)}`);
      return null;
    }
  }

  async run(): Promise<DiscoveryRun> {
    const home = await this.fetch(this.baseUrl);
    const homeDoc = home && isHtml(home) ? parseDocument(home.text) : null;
    const homeUrl = home?.url ?? this.baseUrl;
    const siteName = homeDoc ? siteNameOf(homeDoc) : null;
    let sections: DiscoveredSection[] = [];
    if (homeDoc) {
      this.feedCandidates.push(...advertisedFeeds(homeDoc, homeUrl));
      const candidates = sectionCandidates(homeDoc, homeUrl).slice(0, LIMITS.sectionCandidates);
      this.note(`homepage ${homeUrl}: ${candidates.length} menu and section links`);
      sections = await this.checkSections(candidates);
    }
    const sitemap = await this.readSitemaps();
    let sitemapPattern: string | null = null;
    let sitemapEntries: SitemapEntry[] = [];
    if (sitemap.entries.length) {
      sitemapPattern = await this.sitemapPattern(sitemap.entries, sections);
      if (sitemapPattern) {
        sitemapEntries = sitemap.entries.filter((e) => matchesPattern(sitemapPattern!, e.url));
        if (sections.length === 0) sections = await this.sectionsFromSitemap(sitemap.entries, sitemapEntries);
      }
    }
    const feeds = await this.liveFeeds();
    const linkPattern =
      this.sharedPattern(sections, sitemapEntries) ??
      unionPattern([...sections.map((s) => s.linkPattern).filter((p): p is string => !!p), ...(sitemapPattern ? [sitemapPattern] : [])]);
    const discovery: Discovery = {
      version: 1,
      baseUrl: this.baseUrl,
      discoveredAt: this.deps.now().toISOString(),
      siteName,
      sections,
      linkPattern,
      sitemaps: sitemapEntries.length ? sitemap.roots : [],
      feeds: feeds.urls,
      tried: this.tried,
    };
    sitemapEntries.sort((a, b) => time(b) - time(a));
    return { discovery, listed: this.listed, sitemapEntries, feedLinks: feeds.links };
  }

  /**
   * One pattern for every listed link when one shape covers them all (`/view-article/1/\d+/\d+` rather than one
   * category id per section); the sections then carry none of their own.
   */
  private sharedPattern(sections: DiscoveredSection[], sitemapEntries: SitemapEntry[]): string | null {
    const links = [...[...this.listed.values()].flat().map((item) => item.url), ...sitemapEntries.map((e) => e.url)];
    const shared = links.length ? derivePattern(links) : null;
    if (!shared || !links.every((link) => matchesPattern(shared, link))) return null;
    for (const section of sections) section.linkPattern = null;
    return shared;
  }

  /** A candidate is a section when its page lists headlines with dates or summaries and is no article itself. */
  private async checkSections(candidates: Candidate[]): Promise<DiscoveredSection[]> {
    const sections: DiscoveredSection[] = [];
    const ids = new Set<string>();
    const finalUrls = new Set<string>();
    for (const candidate of candidates) {
      if (this.deps.signal?.aborted) break;
      const section = await this.checkSection(candidate);
      if (!section || finalUrls.has(section.finalUrl)) continue;
      finalUrls.add(section.finalUrl);
      let id = slugOf(section.name);
      for (let n = 2; ids.has(id); n++) id = `${slugOf(section.name)}-${n}`;
      ids.add(id);
      sections.push({ id, name: section.name, url: relativeTo(candidate.url, this.baseUrl), linkPattern: section.linkPattern });
    }
    return sections;
  }

  private async checkSection(candidate: Candidate): Promise<{ name: string; finalUrl: string; linkPattern: string | null } | null> {
    const response = await this.fetch(candidate.url);
    if (!response || !isHtml(response)) return null;
    const doc = parseDocument(response.text);
    const items = describedItems(listingItems(doc, response.url));
    if (items.length < LIMITS.sectionMinItems) {
      this.note(`${candidate.url}: not a section (${items.length} dated or summarised headlines)`);
      return null;
    }
    let article = null;
    try {
      article = extractArticle(response.text, response.url, { now: this.deps.now() });
    } catch {
      // No article: as expected of a listing.
    }
    const verdict = classifyPage(doc, response.url, article);
    if (verdict.kind === 'article' && article && !bodyIsList(items, article)) {
      this.note(`${candidate.url}: an article, not a section`);
      return null;
    }
    const linkPattern = derivePattern(items.map((i) => i.url));
    this.listed.set(new URL(candidate.url).href, linkPattern ? items.filter((i) => matchesPattern(linkPattern, i.url)) : items);
    this.feedCandidates.push(...advertisedFeeds(doc, response.url));
    const name = candidate.label || headingOf(doc) || relativeTo(candidate.url, this.baseUrl);
    this.note(`${candidate.url}: section "${name}", ${items.length} headlines${linkPattern ? `, links ${linkPattern}` : ''}`);
    return { name, finalUrl: response.url, linkPattern };
  }

  private async readSitemaps(): Promise<{ roots: string[]; entries: SitemapEntry[] }> {
    const robotsUrl = new URL('/robots.txt', this.baseUrl).href;
    const robots = await this.fetch(robotsUrl, 'text/plain,*/*;q=0.5');
    const named = robots && robots.status === 200 ? sitemapsFromRobots(robots.text, robotsUrl) : [];
    this.note(`${robotsUrl}: ${named.length ? `Sitemap: ${named.join(', ')}` : 'no Sitemap: line'}`);
    const roots = named.length ? named : SITEMAP_PATHS.map((p) => new URL(p, this.baseUrl).href);
    const answered: string[] = [];
    const entries: SitemapEntry[] = [];
    for (const root of roots) {
      const found = await readSitemapTree(
        root,
        (url) => this.fetch(url, 'application/xml,text/xml;q=0.9,*/*;q=0.5'),
        (line) => this.note(line),
      );
      if (found.length) {
        answered.push(root);
        entries.push(...found);
      }
      if (entries.length && !named.length) break;
    }
    const unique = new Map(entries.map((e) => [e.url, e]));
    return { roots: answered, entries: [...unique.values()].slice(0, LIMITS.sitemapEntries) };
  }

  /**
   * Which sitemap URLs are articles: news entries if the sitemap has them, else URL shapes whose sampled pages
   * classify as articles. Shapes the sections' patterns already cover need no sample.
   */
  private async sitemapPattern(entries: SitemapEntry[], sections: DiscoveredSection[]): Promise<string | null> {
    const news = entries.filter((e) => e.published || e.title);
    if (news.length >= 2) return derivePattern(news.map((e) => e.url));
    const shapes = new Map<string, SitemapEntry[]>();
    for (const entry of entries) {
      const u = new URL(entry.url);
      const key = `${u.pathname.split('/').filter(Boolean).length}|${[...u.searchParams.keys()].sort().join('&')}|${u.pathname.split('/')[1] ?? ''}`;
      shapes.set(key, [...(shapes.get(key) ?? []), entry]);
    }
    const known = sections.map((s) => s.linkPattern).filter((p): p is string => !!p);
    const accepted: string[] = [];
    const ranked = [...shapes.values()]
      .filter((g) => g.length >= 2)
      .sort((a, b) => b.length - a.length)
      .slice(0, LIMITS.sitemapShapes);
    for (const group of ranked) {
      if (known.length && group.every((e) => known.some((p) => matchesPattern(p, e.url)))) {
        accepted.push(...group.map((e) => e.url));
        continue;
      }
      const samples = [...group].sort((a, b) => time(b) - time(a)).slice(0, LIMITS.sitemapSamples);
      let articles = 0;
      for (const sample of samples) {
        const response = await this.fetch(sample.url);
        if (!response || !isHtml(response)) continue;
        if (readArticlePage(response.text, response.url, { now: this.deps.now() }).verdict.kind === 'article') articles += 1;
      }
      this.note(`sitemap URLs like ${group[0]!.url}: ${articles} of ${samples.length} sampled pages are articles`);
      if (articles > 0 && articles * 2 >= samples.length) accepted.push(...group.map((e) => e.url));
    }
    return accepted.length >= 2 ? derivePattern(accepted) : null;
  }

  /** A portal whose menu is built by script: listing pages the sitemap names and article URLs sit under. */
  private async sectionsFromSitemap(all: SitemapEntry[], articles: SitemapEntry[]): Promise<DiscoveredSection[]> {
    const paths = articles.map((e) => new URL(e.url).pathname);
    const candidates: Candidate[] = all
      .filter((e) => {
        const path = new URL(e.url).pathname.replace(/\/$/, '');
        return path.length > 1 && paths.filter((p) => p.startsWith(`${path}/`)).length >= LIMITS.sectionMinItems;
      })
      .map((e) => ({ url: e.url, label: '' }));
    return this.checkSections(candidates.slice(0, LIMITS.sectionCandidates));
  }

  private async liveFeeds(): Promise<{ urls: string[]; links: string[] }> {
    const urls: string[] = [];
    const links: string[] = [];
    for (const url of [...new Set(this.feedCandidates)].slice(0, LIMITS.feeds)) {
      const response = await this.fetch(url, 'application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5');
      if (!response) continue;
      const items = await feedParser
        .parseString(response.text)
        .then((feed) => feed.items.map((item) => item.link).filter((link): link is string => !!link))
        .catch(() => []);
      this.note(`feed ${url}: ${items.length ? `${items.length} items` : 'no items (ignored)'}`);
      if (items.length === 0) continue;
      urls.push(url);
      links.push(...items.map((link) => new URL(link, url).href));
    }
    return { urls, links: [...new Set(links)] };
  }
}

function headingOf(doc: Document): string | null {
  let heading: string | null = null;
  walk(doc, (el) => {
    if (heading) return false;
    if (el.name === 'h1') heading = elementText(el) || null;
  });
  return heading;
}

function time(entry: SitemapEntry): number {
  const iso = entry.published ?? entry.lastmod;
  return iso ? Date.parse(iso) : 0;
}

/** Reads a sitemap and, for an index, its children (newest first); entries of URL sets only. */
export async function readSitemapTree(
  root: string,
  fetch: (url: string) => Promise<FetchResponse | null>,
  note: (line: string) => void,
  skip: (child: SitemapEntry) => boolean = () => false,
): Promise<SitemapEntry[]> {
  const response = await fetch(root);
  if (!response) return [];
  const parsed = parseSitemap(response.text, response.url);
  if (parsed.kind === 'unknown') {
    note(`${root}: not a sitemap`);
    return [];
  }
  if (parsed.kind === 'urlset') {
    note(`${root}: ${parsed.entries.length} URLs${parsed.news ? ' (news sitemap)' : ''}`);
    return parsed.entries;
  }
  const children = [...parsed.entries].sort((a, b) => time(b) - time(a)).slice(0, LIMITS.childSitemaps);
  note(`${root}: sitemap index of ${parsed.entries.length}`);
  const entries: SitemapEntry[] = [];
  for (const child of children) {
    if (skip(child)) continue;
    const found = await fetch(child.url);
    if (!found) continue;
    const sub = parseSitemap(found.text, found.url);
    if (sub.kind !== 'urlset') continue;
    note(`${child.url}: ${sub.entries.length} URLs${sub.news ? ' (news sitemap)' : ''}`);
    entries.push(...sub.entries);
  }
  return entries;
}

/** Discovers a portal from its base URL. Never throws for what the site answers: `tried` says what failed. */
export async function discoverSite(baseUrl: string, deps: DiscoverDeps): Promise<DiscoveryRun> {
  return new Discoverer(new URL(baseUrl).href, deps).run();
}

/** True when nothing usable was found: no section, no sitemap, no feed. */
export function foundNothing(discovery: Discovery): boolean {
  return discovery.sections.length === 0 && discovery.sitemaps.length === 0 && discovery.feeds.length === 0;
}
