/** Structured data a page declares about itself: meta tags and JSON-LD (tolerant of broken JSON). */
import { cleanText, collapseWhitespace } from '../core/text.js';
import { type PageIndex, rawText, tagged } from './dom.js';

type Json = Record<string, unknown>;

export interface StructuredData {
  /** Lowercased meta name/property → values as written, in page order: metaValue and metaValues clean what they read. */
  meta: Map<string, string[]>;
  titleTag: string | null;
  canonical: string | null;
  article: Json | null;
  breadcrumb: string[];
}

export function readStructured(index: PageIndex): StructuredData {
  const meta = new Map<string, string[]>();
  for (const el of tagged(index, 'meta')) {
    const key = (el.attribs.property ?? el.attribs.name ?? el.attribs.itemprop ?? '').trim().toLowerCase();
    const value = el.attribs.content;
    if (!key || value === undefined) continue;
    const values = meta.get(key);
    if (values) values.push(value);
    else meta.set(key, [value]);
  }
  const objects = tagged(index, 'script')
    .filter((el) => el.attribs.type !== undefined && el.attribs.type.trim().toLowerCase() === 'application/ld+json')
    .flatMap((el) => flatten(parseLenient(el.children.map((c) => ('data' in c ? String(c.data) : '')).join(''))));
  const article =
    objects.find((o) => typeMatches(o, /^(?:NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|Report|LiveBlogPosting)$/)) ??
    null;
  const crumbs = objects.find((o) => typeMatches(o, /^BreadcrumbList$/));
  const titleEl = tagged(index, 'title').find((t) => !t.parent || !('name' in t.parent) || t.parent.name !== 'svg');
  const titleText = titleEl ? rawText(titleEl) || titleEl.children.map((c) => ('data' in c ? String(c.data) : '')).join('') : '';
  return {
    meta,
    titleTag: collapseWhitespace(cleanText(titleText)) || null,
    canonical:
      tagged(index, 'link')
        .find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.attribs.rel ?? ''))
        ?.attribs.href?.trim() || null,
    article,
    breadcrumb: crumbs ? breadcrumbNames(crumbs) : [],
  };
}

const clean = (text: string): string => collapseWhitespace(cleanText(text));

/** The first value of the first key the page gives one for (empty values skipped). */
export function metaValue(data: StructuredData, ...keys: string[]): string | null {
  for (const key of keys) {
    const values = data.meta.get(key);
    if (!values) continue;
    for (const raw of values) {
      const value = clean(raw);
      if (value) return value;
    }
  }
  return null;
}

/** Every value of a key, in page order (empty values skipped). */
export function metaValues(data: StructuredData, key: string): string[] {
  return (data.meta.get(key) ?? []).map(clean).filter(Boolean);
}

/** Broken JSON-LD is common: trailing commas, raw newlines in strings, HTML comments. */
export function parseLenient(text: string): unknown {
  // The repair is made only for text that does not parse as it is.
  for (const attempt of [(t: string) => t, repairJson]) {
    try {
      return JSON.parse(attempt(text));
    } catch {
      // try the next repair
    }
  }
  return null;
}

function repairJson(text: string): string {
  return text
    .replace(/^\s*<!--|-->\s*$/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/,\s*([}\]])/g, '$1');
}

function flatten(value: unknown, depth = 0): Json[] {
  if (depth > 4 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v) => flatten(v, depth + 1));
  const obj = value as Json;
  const graph = obj['@graph'];
  return [obj, ...(graph ? flatten(graph, depth + 1) : [])];
}

function typeMatches(obj: Json, re: RegExp): boolean {
  const type = obj['@type'];
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && re.test(t));
}

function breadcrumbNames(list: Json): string[] {
  const items = Array.isArray(list.itemListElement) ? (list.itemListElement as unknown[]) : [];
  return items
    .filter((i): i is Json => !!i && typeof i === 'object')
    .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
    .map((i) => jsonText(i.name) ?? jsonText((i.item as Json | undefined)?.name) ?? '')
    .filter(Boolean);
}

/** A string out of a JSON-LD value that may be a string, an object with name/url, or an array of those. */
export function jsonText(value: unknown, key = 'name'): string | null {
  if (typeof value === 'string') return collapseWhitespace(cleanText(value)) || null;
  if (Array.isArray(value)) {
    const parts = value.map((v) => jsonText(v, key)).filter((v): v is string => !!v);
    return parts.length ? parts.join(', ') : null;
  }
  if (value && typeof value === 'object') return jsonText((value as Json)[key], key);
  return null;
}

export function jsonList(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(/[,;]/)
      .map((v) => collapseWhitespace(cleanText(v)))
      .filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => jsonList(v));
  if (value && typeof value === 'object') return jsonList((value as Json).name);
  return [];
}
