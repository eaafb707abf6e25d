import type { IncomingHttpHeaders } from 'node:http';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Preference on equal q-values. */
const PREFERENCE: Encoding[] = ['br', 'gzip', 'identity'];
const ALIASES: Record<string, Encoding> = { br: 'br', gzip: 'gzip', 'x-gzip': 'gzip', identity: 'identity' };

/** q-value per token of an Accept-style header (`a;q=0.5, b`); parameters other than q are ignored. */
function parseQValues(header: string, normalize: (token: string) => string): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match?.[1]) q = Math.min(1, Math.max(0, Number(match[1]) || 0));
    }
    const key = normalize(name);
    result.set(key, Math.max(result.get(key) ?? 0, q));
  }
  return result;
}

/** Parses `Accept-Encoding` into q-values per coding (`*` kept as is). */
function parseAcceptEncoding(header: string): Map<string, number> {
  return parseQValues(header, (name) => ALIASES[name] ?? name);
}

/** Picks the content coding by q-value (RFC 9110 §12.5.3), br over gzip on a tie; identity as the fallback. */
export function chooseEncoding(header: string | undefined): Encoding {
  return header ? negotiate(header) : 'identity';
}

function negotiate(header: string): Encoding {
  const q = parseAcceptEncoding(header);
  const star = q.get('*');
  const weight = (coding: Encoding): number => {
    const explicit = q.get(coding);
    if (explicit !== undefined) return explicit;
    if (star !== undefined) return star;
    return coding === 'identity' ? 0.001 : 0;
  };
  let best: Encoding = 'identity';
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    const w = weight(coding);
    if (w > bestQ) {
      best = coding;
      bestQ = w;
    }
  }
  return best;
}

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** If-None-Match with weak comparison: a list of entity tags or `*`. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  const tags = value.match(/(?:W\/)?"[^"]*"/g) ?? [];
  const target = opaque(etag);
  return tags.some((tag) => opaque(tag) === target);
}

/** True when the request's validators say the client already has this representation (GET/HEAD only). */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return etagMatches(inm, etag);
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/** Media types that name a feed: a client asking for one wants the feed, whatever else it accepts. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/rdf+xml']);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * True for a browser opening a feed URL: a navigation (`Sec-Fetch-Dest: document`) or an `Accept`
 * that prefers HTML, as long as it does not ask for a feed type at least as much. Readers (no
 * Accept, `*\/*`, or feed types named) get the feed.
 */
export function wantsHtmlPreview(headers: IncomingHttpHeaders): boolean {
  const dest = headers['sec-fetch-dest'];
  const accept = headers.accept;
  const navigation = dest === 'document';
  if (!navigation && (accept === undefined || !accept.includes('html'))) return false;
  const q = parseQValues(accept ?? '', (type) => type);
  let feed = 0;
  let html = 0;
  let other = 0;
  for (const [type, weight] of q) {
    if (FEED_TYPES.has(type)) feed = Math.max(feed, weight);
    else if (HTML_TYPES.has(type)) html = Math.max(html, weight);
    else other = Math.max(other, weight);
  }
  if (feed > 0 && feed >= html) return false;
  if (navigation) return true;
  return html > 0 && feed === 0 && html >= other;
}
