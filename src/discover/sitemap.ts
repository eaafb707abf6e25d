/** Sitemaps (sitemaps.org, with Google's news extension): indexes, URL sets, `lastmod` and `<news:news>` entries. */
import * as cheerio from 'cheerio';
import { parseDate } from '../extract/index.js';

export interface SitemapEntry {
  url: string;
  /** ISO instant, when the sitemap says. */
  lastmod: string | null;
  /** `<news:publication_date>`, ISO. */
  published: string | null;
  /** `<news:title>`. */
  title: string | null;
}

export interface ParsedSitemap {
  kind: 'index' | 'urlset' | 'unknown';
  /** For an index: its child sitemaps (`lastmod` says when each last changed). For a URL set: its pages. */
  entries: SitemapEntry[];
  /** True when entries carry `<news:news>`. */
  news: boolean;
}

function isoOf(raw: string | undefined): string | null {
  const text = raw?.trim();
  if (!text) return null;
  const parsed = Date.parse(text);
  if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  return parseDate(text)?.iso ?? null;
}

/** Reads a sitemap document; anything that is not one is `unknown` with no entries (a 200 HTML page, say). */
export function parseSitemap(xml: string, baseUrl: string): ParsedSitemap {
  if (!/<(?:[\w-]+:)?(?:urlset|sitemapindex)\b/i.test(xml.slice(0, 4000))) return { kind: 'unknown', entries: [], news: false };
  const $ = cheerio.load(xml, { xml: true });
  // Tag names are matched by local name: some generators prefix the sitemaps namespace.
  const local = (el: { tagName?: string; name?: string }) => (el.name ?? '').replace(/^.*:/, '').toLowerCase();
  const root = $.root()
    .children()
    .toArray()
    .find((el) => el.type === 'tag');
  const kind = root && local(root) === 'sitemapindex' ? 'index' : 'urlset';
  const entries: SitemapEntry[] = [];
  let news = false;
  for (const el of $.root().find('*').toArray()) {
    if (el.type !== 'tag' || (local(el) !== 'url' && local(el) !== 'sitemap')) continue;
    const field = (name: string): string | undefined => {
      const found = $(el)
        .find('*')
        .toArray()
        .find((child) => child.type === 'tag' && local(child) === name);
      return found ? $(found).text().trim() : undefined;
    };
    const loc = field('loc');
    if (!loc) continue;
    let url: string;
    try {
      url = new URL(loc, baseUrl).href;
    } catch {
      continue;
    }
    const published = isoOf(field('publication_date'));
    const title = field('title') ?? null;
    if (published || title) news = true;
    entries.push({ url, lastmod: isoOf(field('lastmod')), published, title });
  }
  return { kind, entries, news };
}

/** `Sitemap:` lines of robots.txt, absolute. */
export function sitemapsFromRobots(text: string, baseUrl: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*site-?map\s*:\s*(\S+)/i.exec(line);
    if (!match) continue;
    try {
      found.push(new URL(match[1]!, baseUrl).href);
    } catch {
      // A broken line names nothing.
    }
  }
  return [...new Set(found)];
}

/** When an entry last changed, as the sitemap tells it. */
export function entryTime(entry: SitemapEntry): number {
  const iso = entry.published ?? entry.lastmod;
  return iso ? Date.parse(iso) : 0;
}
