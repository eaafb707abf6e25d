import { FOLD_TABLE_END, foldUnit, foldVietnamese, toNFC } from '../core/text.js';

/**
 * Word-level matching of taxonomy terms.
 *
 * Text is cut into words; each word has a folded form (no case, accents or tones: `Đảng` → `dang`) and,
 * for terms marked `exact`, a toned form in which only the tone's POSITION is ignored (`hóa` = `hoá`,
 * but `đảng` ≠ `đang` ≠ `đăng`). A term matches a whole run of consecutive words; a run never spans
 * sentence punctuation, so `an. Ninh` is not `an ninh`.
 */

/** One spelling of a word, looked up once per cache: its folded form and, when an exact term needs it, its toned form. */
export interface Lexeme {
  /** NFC text of the word. */
  raw: string;
  folded: string;
  toned: string | null;
}

export interface CompiledTerm<T> {
  term: string;
  folded: string[];
  /** Filter keys of the folded words (see `keyOf`). */
  keys: number[];
  /** Toned forms, only for exact terms. */
  toned: string[] | null;
  payload: T;
}

/** Filter key of a folded word: 16 bits of an FNV-1a hash of its UTF-16 units, or UNKNOWN. */
const UNKNOWN = -1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const keyOfHash = (hash: number): number => (hash >>> 16) ^ (hash & 0xffff);

export function keyOf(folded: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < folded.length; i++) hash = Math.imul(hash ^ folded.charCodeAt(i), FNV_PRIME);
  return keyOfHash(hash);
}

/**
 * Terms by the filter key of their first folded word (and by the word itself, for text words without a key): a
 * text's words are keyed while it is cut, so finding candidates needs no string lookup at all.
 */
export class TermIndex<T> {
  private readonly byKey = new Map<number, Array<CompiledTerm<T>>>();
  private readonly byFirst = new Map<string, Array<CompiledTerm<T>>>();
  /** A bit per key that starts some term: small enough to stay in cache, it turns most words away before any Map. */
  private readonly startKeys = new Uint8Array(0x2000);

  add(term: CompiledTerm<T>): void {
    const key = term.keys[0]!;
    pushTo(this.byKey, key, term);
    pushTo(this.byFirst, term.folded[0]!, term);
    this.startKeys[key >>> 3]! |= 1 << (key & 7);
  }

  /** Terms that may start at word i: same key, to be confirmed word by word. */
  candidates(words: Words, i: number): ReadonlyArray<CompiledTerm<T>> | undefined {
    const key = words.keys[i]!;
    if (key === UNKNOWN) return this.byFirst.get(words.folded(i));
    return (this.startKeys[key >>> 3]! & (1 << (key & 7))) === 0 ? undefined : this.byKey.get(key);
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Gaps made only of these keep a multi-word term together (`kinh tế - xã hội`, `sở, ban, ngành`);
 * anything else (. ; : ! ? brackets, line breaks) ends a run of words.
 */
const SOFT_GAP = /[^\S\n\r\u2028\u2029]|[,\-‐‑–—'"“”‘’\u00AD\u200B-\u200D\u2060\uFEFF]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const HARD = 0;
const WORD = 1;
const SOFT = 2;
let charClasses: Uint8Array | null = null;

/** Class of every UTF-16 code unit, built on first use: a table lookup is ten times faster than a Unicode regex. */
function classes(): Uint8Array {
  if (!charClasses) {
    const table = new Uint8Array(0x10000);
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      table[code] = WORD_CHAR.test(char) ? WORD : SOFT_GAP.test(char) ? SOFT : HARD;
    }
    charClasses = table;
  }
  return charClasses;
}

/** Vietnamese tone marks (and the deprecated tone code points), by tone. */
const TONE_MARKS: Record<string, string> = {
  '\u0300': '2',
  '\u0340': '2',
  '\u0301': '1',
  '\u0341': '1',
  '\u0303': '4',
  '\u0309': '3',
  '\u0323': '5',
};
const TONE_RE = /[\u0300\u0301\u0303\u0309\u0323\u0340\u0341]/g;

/** Lower-case word with its tone moved to the end, so old and new tone placement agree: `hoá`/`hóa` → `hoa1`. */
export function tonedForm(word: string): string {
  let tone = '';
  const base = word
    .normalize('NFD')
    .toLowerCase()
    .replace(TONE_RE, (mark) => {
      tone = TONE_MARKS[mark] ?? '';
      return '';
    });
  return base.normalize('NFC') + tone;
}

export class WordCache {
  private readonly lexemes = new Map<string, Lexeme>();
  constructor(private readonly limit = 50_000) {}

  lexeme(raw: string): Lexeme {
    let lexeme = this.lexemes.get(raw);
    if (lexeme === undefined) {
      if (this.lexemes.size >= this.limit) this.lexemes.clear();
      lexeme = { raw, folded: foldVietnamese(raw), toned: null };
      this.lexemes.set(raw, lexeme);
    }
    return lexeme;
  }

  tone(lexeme: Lexeme): string {
    return (lexeme.toned ??= tonedForm(lexeme.raw));
  }
}

let foldCodes: Int32Array | null = null;
const SKIP = -2;

/**
 * The one unit each UTF-16 unit folds to (SKIP when it folds to nothing, UNKNOWN when it folds to several or
 * only with its neighbours), so a word's filter key is computed while the text is cut, from the same folding.
 */
function foldCodesOf(): Int32Array {
  if (!foldCodes) {
    // Units past the table (U+2070 on) never fold alone.
    const table = new Int32Array(FOLD_TABLE_END).fill(UNKNOWN);
    for (let code = 0; code < FOLD_TABLE_END; code++) {
      const folded = foldUnit(code);
      if (folded === undefined || folded.length > 1) continue;
      table[code] = folded.length === 0 ? SKIP : folded.charCodeAt(0);
    }
    foldCodes = table;
  }
  return foldCodes;
}

/** The words of one text: offsets into its NFC form and filter keys; lexemes are looked up when first asked for. */
export class Words {
  /** Sized up front: filled out of order, a growing array would turn sparse (and slow). */
  private readonly lexemes: Array<Lexeme | undefined>;
  constructor(
    private readonly text: string,
    private readonly bounds: number[],
    readonly keys: number[],
    private readonly breaks: boolean[],
    private readonly cache: WordCache,
  ) {
    this.lexemes = new Array<Lexeme | undefined>(keys.length);
  }

  get length(): number {
    return this.keys.length;
  }

  lexeme(i: number): Lexeme {
    return (this.lexemes[i] ??= this.cache.lexeme(this.text.slice(this.bounds[2 * i], this.bounds[2 * i + 1])));
  }

  folded(i: number): string {
    return this.lexeme(i).folded;
  }

  allFolded(): string[] {
    return this.keys.map((_, i) => this.folded(i));
  }

  /** True when sentence punctuation or a line break (not a space, comma, hyphen or quote) precedes word i. */
  breakBefore(i: number): boolean {
    return this.breaks[i]!;
  }
}

export function splitWords(text: string, cache: WordCache): Words {
  const nfc = toNFC(text);
  const table = classes();
  const folds = foldCodesOf();
  const bounds: number[] = [];
  const keys: number[] = [];
  const breaks: boolean[] = [];
  let start = -1;
  let hardGap = true;
  let hash = FNV_OFFSET;
  let known = true;
  for (let i = 0; i <= nfc.length; i++) {
    const code = i < nfc.length ? nfc.charCodeAt(i) : 0;
    const kind = i < nfc.length ? table[code] : HARD;
    if (kind === WORD) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
        known = true;
      }
      const folded = code < FOLD_TABLE_END ? folds[code]! : UNKNOWN;
      if (folded >= 0) hash = Math.imul(hash ^ folded, FNV_PRIME);
      else if (folded === UNKNOWN) known = false;
      continue;
    }
    if (start >= 0) {
      bounds.push(start, i);
      keys.push(known ? keyOfHash(hash) : UNKNOWN);
      breaks.push(hardGap);
      start = -1;
      hardGap = false;
    }
    if (kind === HARD) hardGap = true;
  }
  return new Words(nfc, bounds, keys, breaks, cache);
}

export function compileTerm<T>(term: string, exact: boolean, payload: T, cache: WordCache): CompiledTerm<T> | null {
  const words = splitWords(term, cache);
  if (words.length === 0) return null;
  const folded = words.allFolded();
  return {
    term,
    folded,
    keys: folded.map(keyOf),
    toned: exact ? folded.map((_, i) => cache.tone(words.lexeme(i))) : null,
    payload,
  };
}

function matchesAt<T>(words: Words, at: number, term: CompiledTerm<T>, cache: WordCache): boolean {
  const n = term.folded.length;
  if (at + n > words.length) return false;
  // Keys first: they reject almost every candidate without reading a word.
  for (let k = 0; k < n; k++) {
    const key = words.keys[at + k];
    if ((k > 0 && words.breakBefore(at + k)) || (key !== UNKNOWN && key !== term.keys[k])) return false;
  }
  for (let k = 0; k < n; k++) {
    const lexeme = words.lexeme(at + k);
    if (lexeme.folded !== term.folded[k]) return false;
    if (term.toned && cache.tone(lexeme) !== term.toned[k]) return false;
  }
  return true;
}

/**
 * Counts every term's hits. At each position the longest matching terms win and consume their words,
 * so `khu kinh tế` does not also count as `kinh tế`. Equal-length terms (the same words listed under
 * two categories) all count.
 */
export function countHits<T>(words: Words, index: TermIndex<T>, cache: WordCache): Map<CompiledTerm<T>, number> {
  const counts = new Map<CompiledTerm<T>, number>();
  let i = 0;
  while (i < words.length) {
    const bucket = index.candidates(words, i);
    if (!bucket) {
      i++;
      continue;
    }
    let best: Array<CompiledTerm<T>> = [];
    let length = 0;
    for (const term of bucket) {
      if (term.folded.length < length || !matchesAt(words, i, term, cache)) continue;
      if (term.folded.length > length) best = [];
      best.push(term);
      length = term.folded.length;
    }
    for (const term of best) counts.set(term, (counts.get(term) ?? 0) + 1);
    i += Math.max(length, 1);
  }
  return counts;
}
