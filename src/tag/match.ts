import { foldVietnamese, toNFC } from '../core/text.js';

/**
 * Word-level matching of taxonomy terms.
 *
 * Text is cut into words; each word has a folded form (no case, accents or tones: `Đảng` → `dang`) and,
 * for terms marked `exact`, a toned form in which only the tone's POSITION is ignored (`hóa` = `hoá`,
 * but `đảng` ≠ `đang` ≠ `đăng`). A term matches a whole run of consecutive words; a run never spans
 * sentence punctuation, so `an. Ninh` is not `an ninh`.
 */

/**
 * One spelling of a word, looked up once per cache: its folded form, its toned form when an exact term needs it,
 * and per term index the terms it starts. A text repeats its words, so most words cost one Map lookup.
 */
export interface Lexeme {
  /** NFC text of the word. */
  raw: string;
  folded: string;
  toned: string | null;
  /** By term-index slot (see WordCache): the terms this word starts, null for none, undefined until looked up. */
  starts: Array<ReadonlyArray<CompiledTerm<unknown>> | null | undefined>;
}

export interface Word {
  lexeme: Lexeme;
  folded: string;
  /** True when sentence punctuation or a line break (not a space, comma, hyphen or quote) precedes this word. */
  breakBefore: boolean;
}

export interface CompiledTerm<T> {
  term: string;
  folded: string[];
  /** Toned forms, only for exact terms. */
  toned: string[] | null;
  payload: T;
}

/** Terms indexed by their first folded word, so one pass over the text finds every hit. */
export type TermIndex<T> = Map<string, Array<CompiledTerm<T>>>;

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
  /** A slot per term index, renewed when the index grows, so a lexeme never keeps a stale lookup. */
  private readonly slots = new Map<TermIndex<unknown>, { slot: number; size: number }>();
  constructor(private readonly limit = 50_000) {}

  lexeme(raw: string, ascii = false): Lexeme {
    let lexeme = this.lexemes.get(raw);
    if (lexeme === undefined) {
      if (this.lexemes.size >= this.limit) this.lexemes.clear();
      // An ASCII word folds to its lower case.
      lexeme = { raw, folded: ascii ? raw.toLowerCase() : foldVietnamese(raw), toned: null, starts: [] };
      this.lexemes.set(raw, lexeme);
    }
    return lexeme;
  }

  fold(word: string): string {
    return this.lexeme(word).folded;
  }

  tone(lexeme: Lexeme): string {
    return (lexeme.toned ??= tonedForm(lexeme.raw));
  }

  slotOf(index: TermIndex<unknown>): number {
    const known = this.slots.get(index);
    if (known && known.size === index.size) return known.slot;
    const slot = this.slots.size;
    this.slots.set(index, { slot, size: index.size });
    return slot;
  }
}

function startsOf<T>(lexeme: Lexeme, slot: number, index: TermIndex<T>): ReadonlyArray<CompiledTerm<T>> | null {
  let found = lexeme.starts[slot];
  if (found === undefined) lexeme.starts[slot] = found = index.get(lexeme.folded) ?? null;
  return found as ReadonlyArray<CompiledTerm<T>> | null;
}

export function splitWords(text: string, cache: WordCache): Word[] {
  const nfc = toNFC(text);
  const table = classes();
  const words: Word[] = [];
  let start = -1;
  let hardGap = true;
  let ascii = true;
  for (let i = 0; i <= nfc.length; i++) {
    const code = i < nfc.length ? nfc.charCodeAt(i) : 0;
    const kind = i < nfc.length ? table[code] : HARD;
    if (kind === WORD) {
      if (start < 0) {
        start = i;
        ascii = true;
      }
      if (code >= 0x80) ascii = false;
      continue;
    }
    if (start >= 0) {
      const lexeme = cache.lexeme(nfc.slice(start, i), ascii);
      words.push({ lexeme, folded: lexeme.folded, breakBefore: hardGap });
      start = -1;
      hardGap = false;
    }
    if (kind === HARD) hardGap = true;
  }
  return words;
}

export function compileTerm<T>(term: string, exact: boolean, payload: T, cache: WordCache): CompiledTerm<T> | null {
  const words = splitWords(term, cache);
  if (words.length === 0) return null;
  return {
    term,
    folded: words.map((w) => w.folded),
    toned: exact ? words.map((w) => cache.tone(w.lexeme)) : null,
    payload,
  };
}

export function addTerm<T>(index: TermIndex<T>, compiled: CompiledTerm<T>): void {
  const first = compiled.folded[0]!;
  const bucket = index.get(first);
  if (bucket) bucket.push(compiled);
  else index.set(first, [compiled]);
}

function matchesAt<T>(words: Word[], at: number, term: CompiledTerm<T>, cache: WordCache): boolean {
  if (at + term.folded.length > words.length) return false;
  for (let k = 0; k < term.folded.length; k++) {
    const word = words[at + k]!;
    if (k > 0 && word.breakBefore) return false;
    if (word.folded !== term.folded[k]) return false;
    if (term.toned && cache.tone(word.lexeme) !== term.toned[k]) return false;
  }
  return true;
}

/**
 * Counts every term's hits. At each position the longest matching terms win and consume their words,
 * so `khu kinh tế` does not also count as `kinh tế`. Equal-length terms (the same words listed under
 * two categories) all count.
 */
export function countHits<T>(words: Word[], index: TermIndex<T>, cache: WordCache): Map<CompiledTerm<T>, number> {
  const counts = new Map<CompiledTerm<T>, number>();
  const slot = cache.slotOf(index as TermIndex<unknown>);
  let i = 0;
  while (i < words.length) {
    const bucket = startsOf(words[i]!.lexeme, slot, index);
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
