/**
 * The article link pattern of a section, from the links its listing pages share: URLs are grouped by shape
 * (segment count, query keys) and each segment position becomes a literal, a small alternation, a number or a slug.
 * The result is a regex over path + query, the form `linkPattern` takes in the config.
 */
import { escapeRegExp } from '../core/text.js';

/** A shape needs this many URLs (or this share of all) to be part of the pattern. */
const MIN_GROUP = 2;
const MIN_SHARE = 0.2;
/** A varying segment with at most this many values (each seen at least twice on average) is spelled out. */
const MAX_ALTERNATIVES = 4;
const MAX_SHAPES = 3;

function shapeOf(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean).length;
  const keys = [...url.searchParams.keys()].sort().join('&');
  return `${segments}|${url.pathname.endsWith('/') ? '/' : ''}|${keys}`;
}

function valueClass(values: string[]): string {
  if (values.every((v) => /^\d+$/.test(v))) return String.raw`\d+`;
  const suffix = commonPrefix(values.map((v) => [...v].reverse().join('')))
    .split('')
    .reverse()
    .join('');
  const ext = /\.[a-z0-9]{2,5}$/i.exec(suffix)?.[0] ?? '';
  // `news_123`, `bai-456.html`: a shared word before a number is kept; slugs sharing a first word are chance.
  const prefix = commonPrefix(values).replace(/\d+$/, '');
  const numbered = new RegExp(`^${escapeRegExp(prefix)}\\d+${escapeRegExp(ext)}$`);
  if (values.every((v) => numbered.test(v))) return `${escapeRegExp(prefix)}\\d+${escapeRegExp(ext)}`;
  return `[^/]+${escapeRegExp(ext)}`;
}

function commonPrefix(values: string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const v of values.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

function segmentPattern(values: string[]): string {
  const distinct = [...new Set(values)];
  // Numbers change from one article to the next even when the sample shares one (`/2024/05/`, a category id).
  if (distinct.every((v) => /^\d+$/.test(v))) return String.raw`\d+`;
  if (distinct.length === 1) return escapeRegExp(distinct[0]!);
  if (distinct.length <= MAX_ALTERNATIVES && values.length >= distinct.length * 2 && distinct.every((v) => !/\d{3,}/.test(v))) {
    return `(?:${distinct.map(escapeRegExp).join('|')})`;
  }
  return valueClass(distinct);
}

function groupPattern(urls: URL[]): string {
  const first = urls[0]!;
  const segmentLists = urls.map((u) => u.pathname.split('/').filter(Boolean));
  const count = segmentLists[0]!.length;
  let path = '';
  for (let i = 0; i < count; i++) path += `/${segmentPattern(segmentLists.map((s) => decodeURIComponentSafe(s[i]!)))}`;
  if (first.pathname.endsWith('/')) path += count === 0 ? '/' : '/?';
  const keys = [...first.searchParams.keys()].sort();
  if (keys.length === 0) return path;
  const query = keys.map((key) => `${escapeRegExp(key)}=${valueClass(urls.map((u) => u.searchParams.get(key) ?? '')).replace('[^/]+', '[^&]+')}`);
  return `${path}\\?${keys.length === 1 ? query[0] : `(?:[^#]*&)?${query.join('.*')}`}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A regex (anchored, over path + query) matching the article URLs given; null when they share no shape. */
export function derivePattern(links: string[]): string | null {
  const urls = [...new Set(links)].flatMap((link) => {
    try {
      return [new URL(link)];
    } catch {
      return [];
    }
  });
  const groups = new Map<string, URL[]>();
  for (const url of urls) {
    const key = shapeOf(url);
    groups.set(key, [...(groups.get(key) ?? []), url]);
  }
  const kept = [...groups.values()]
    .filter((g) => g.length >= MIN_GROUP && g.length >= urls.length * MIN_SHARE)
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_SHAPES);
  if (kept.length === 0) return null;
  const parts = [...new Set(kept.map(groupPattern))];
  return parts.length === 1 ? `^${parts[0]}$` : `^(?:${parts.join('|')})$`;
}

/** Joins section patterns into one (for a source-level `linkPattern`), without repeats. */
export function unionPattern(patterns: string[]): string | null {
  const bodies = [...new Set(patterns)].map((p) => p.replace(/^\^/, '').replace(/\$$/, ''));
  if (bodies.length === 0) return null;
  return bodies.length === 1 ? `^${bodies[0]}$` : `^(?:${bodies.join('|')})$`;
}

export function matchesPattern(pattern: string, url: string): boolean {
  try {
    const u = new URL(url);
    return new RegExp(pattern).test(u.pathname + u.search);
  } catch {
    return false;
  }
}
