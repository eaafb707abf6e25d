import { PortalfeedError } from '../core/errors.js';
import { foldedWords } from '../core/text.js';
import type { Item, ItemChange } from '../core/types.js';

/** The query parameters that filter a feed; `limit` is separate (it applies to every feed). */
export const FILTER_PARAMS = ['q', 'category', 'source', 'since'] as const;

/** Portal dates without an offset are Vietnamese local time (no daylight saving). */
const LOCAL_OFFSET = '+07:00';
const MAX_QUERY_LENGTH = 200;
const MAX_LIST = 20;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** What a filtered feed keeps: items matching every given part. */
export interface FeedFilter {
  /** Folded terms of `q`: each a word sequence that must appear in the title, lead or text. */
  terms: string[][];
  categories: string[];
  sources: string[];
  /** Epoch ms, or null. */
  since: number | null;
  /** Canonical form: the cache key part and the query string of the feed's own URL (`?q=…`). */
  key: string;
  /** Plain words for the channel title, e.g. `tìm “du lịch”; chuyên mục Kinh tế`. */
  label: string;
}

export interface FilterNames {
  categoryName(slug: string): string | undefined;
  sourceName(id: string): string | undefined;
}

function bad(param: string, message: string): PortalfeedError {
  return new PortalfeedError('BAD_REQUEST', `${param}: ${message}`);
}

/** Words and "quoted phrases" of `q`, folded (no case, accents or tones). */
function parseTerms(q: string): string[][] {
  const terms: string[][] = [];
  for (const match of q.normalize('NFC').matchAll(/"([^"]*)"|[^\s"]+/g)) {
    const words = foldedWords(match[1] ?? match[0]);
    if (words.length) terms.push(words);
  }
  return terms;
}

function parseList(query: URLSearchParams, param: 'category' | 'source', known: (v: string) => string | undefined): string[] {
  const values = [
    ...new Set(
      query
        .getAll(param)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  if (values.length === 0) throw bad(param, 'give one or more comma-separated values');
  if (values.length > MAX_LIST) throw bad(param, `at most ${MAX_LIST} values`);
  for (const value of values) if (known(value) === undefined) throw bad(param, `unknown ${param} "${value.slice(0, 60)}"`);
  return values.sort();
}

/** An ISO 8601 date or date-time; without an offset it is Asia/Ho_Chi_Minh time. Returns epoch ms. */
export function parseSince(raw: string): number {
  const m = ISO.exec(raw.trim());
  if (!m) throw bad('since', `"${raw.slice(0, 40)}" is not an ISO date or time (2024-01-20, 2024-01-20T08:00, 2024-01-20T08:00:00Z)`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offset = zone ? (zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : LOCAL_OFFSET;
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const realDay = check.getUTCFullYear() === Number(y) && check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(d);
  if (Number.isNaN(time) || !realDay || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw bad('since', `"${raw.slice(0, 40)}" is not a real date or time`);
  }
  return time;
}

/** The filter a query asks for; null when it has none of the filter parameters. Throws BAD_REQUEST naming the parameter. */
export function parseFilter(query: URLSearchParams, names: FilterNames): FeedFilter | null {
  if (!FILTER_PARAMS.some((p) => query.has(p))) return null;
  const parts: string[] = [];
  const label: string[] = [];
  let terms: string[][] = [];
  if (query.has('q')) {
    const q = query.getAll('q').join(' ').trim();
    if (q.length > MAX_QUERY_LENGTH) throw bad('q', `at most ${MAX_QUERY_LENGTH} characters`);
    terms = parseTerms(q);
    if (terms.length === 0) throw bad('q', 'give a word to look for');
    parts.push(`q=${encodeURIComponent(q.normalize('NFC'))}`);
    label.push(`tìm “${q.normalize('NFC')}”`);
  }
  let categories: string[] = [];
  if (query.has('category')) {
    categories = parseList(query, 'category', (v) => names.categoryName(v));
    parts.push(`category=${categories.map(encodeURIComponent).join(',')}`);
    label.push(`chuyên mục ${categories.map((c) => names.categoryName(c)).join(' hoặc ')}`);
  }
  let sources: string[] = [];
  if (query.has('source')) {
    sources = parseList(query, 'source', (v) => names.sourceName(v));
    parts.push(`source=${sources.map(encodeURIComponent).join(',')}`);
    label.push(`nguồn ${sources.map((s) => names.sourceName(s)).join(' hoặc ')}`);
  }
  let since: number | null = null;
  if (query.has('since')) {
    const raw = query.get('since') ?? '';
    since = parseSince(raw);
    parts.push(`since=${encodeURIComponent(new Date(since).toISOString())}`);
    label.push(`từ ${localTime(since)}`);
  }
  return { terms, categories, sources, since, key: `?${parts.join('&')}`, label: label.join('; ') };
}

/** `20/01/2024 08:05` in Vietnamese time. */
export function localTime(epochMs: number): string {
  const local = new Date(epochMs + 7 * 3_600_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

function hasPhrase(words: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether every term appears in the texts (each a word sequence, folded like the terms). */
export function matchesTerms(terms: string[][], texts: Array<string | null>): boolean {
  if (terms.length === 0) return true;
  const words = texts.map((t) => (t ? foldedWords(t) : []));
  return terms.every((term) => words.some((w) => hasPhrase(w, term)));
}

export function matchesItem(item: Item, filter: FeedFilter): boolean {
  if (filter.since !== null && Date.parse(item.publishedAt) < filter.since) return false;
  if (filter.categories.length && !item.categories.some((c) => filter.categories.includes(c))) return false;
  if (filter.sources.length && !item.sourceIds.some((s) => filter.sources.includes(s))) return false;
  return matchesTerms(filter.terms, [item.title, item.lead, item.text]);
}

/** A change matches on its time, its item's categories and sources (when the item is still stored) and either version's words. */
export function matchesChange(change: ItemChange, item: Item | null, filter: FeedFilter): boolean {
  if (filter.since !== null && Date.parse(change.at) < filter.since) return false;
  if (filter.categories.length && !item?.categories.some((c) => filter.categories.includes(c))) return false;
  if (filter.sources.length && !item?.sourceIds.some((s) => filter.sources.includes(s))) return false;
  return matchesTerms(filter.terms, [change.newTitle, change.newText]) || matchesTerms(filter.terms, [change.oldTitle, change.oldText]);
}
