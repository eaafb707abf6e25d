import { foldVietnamese } from '../core/text.js';

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
  /** Toned forms, only for exact terms. */
  toned: string[] | null;
  payload: T;
}

/** Terms by their first folded word. */
export class TermIndex<T> {
  private readonly byFirst = new Map<string, Array<CompiledTerm<T>>>();

  add(term: CompiledTerm<T>): void {
    const first = term.folded[0]!;
    const list = this.byFirst.get(first);
    if (list) list.push(term);
    else this.byFirst.set(first, [term]);
  }

  /** Terms that may start at word i, to be confirmed word by word. */
  candidates(words: Words, i: number): ReadonlyArray<CompiledTerm<T>> | undefined {
    return this.byFirst.get(words.folded(i));
  }
}

/**
 * A word (group 1), or a character of a gap that ends a run of words. A gap between two words made only of spaces
 * and `, - – ' "` and the like keeps a multi-word term together (`kinh tế - xã hội`, `sở, ban, ngành`); anything
 * else (. ; : ! ? brackets, line breaks) ends it. One scan finds both, with no string cut out of each gap.
 */
const WORD_OR_HARD_GAP = /([\p{L}\p{M}\p{N}]+)|[^\p{L}\p{M}\p{N}\s,\-‐‑–—'"“”‘’\u00AD\u200B-\u200D\u2060\uFEFF]|[\n\r\u2028\u2029]/gu;

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

/** The words of one text, with whether sentence punctuation or a line break precedes each. */
export class Words {
  constructor(
    private readonly lexemes: Lexeme[],
    private readonly breaks: boolean[],
  ) {}

  get length(): number {
    return this.lexemes.length;
  }

  lexeme(i: number): Lexeme {
    return this.lexemes[i]!;
  }

  folded(i: number): string {
    return this.lexemes[i]!.folded;
  }

  allFolded(): string[] {
    return this.lexemes.map((lexeme) => lexeme.folded);
  }

  /** True when sentence punctuation or a line break (not a space, comma, hyphen or quote) precedes word i. */
  breakBefore(i: number): boolean {
    return this.breaks[i]!;
  }
}

export function splitWords(text: string, cache: WordCache): Words {
  const nfc = text.normalize('NFC');
  const lexemes: Lexeme[] = [];
  const breaks: boolean[] = [];
  let hardGap = false;
  for (const match of nfc.matchAll(WORD_OR_HARD_GAP)) {
    const word = match[1];
    if (word === undefined) {
      hardGap = true;
      continue;
    }
    breaks.push(lexemes.length === 0 || hardGap);
    lexemes.push(cache.lexeme(word));
    hardGap = false;
  }
  return new Words(lexemes, breaks);
}

export function compileTerm<T>(term: string, exact: boolean, payload: T, cache: WordCache): CompiledTerm<T> | null {
  const words = splitWords(term, cache);
  if (words.length === 0) return null;
  const folded = words.allFolded();
  return {
    term,
    folded,
    toned: exact ? folded.map((_, i) => cache.tone(words.lexeme(i))) : null,
    payload,
  };
}

function matchesAt<T>(words: Words, at: number, term: CompiledTerm<T>, cache: WordCache): boolean {
  const n = term.folded.length;
  if (at + n > words.length) return false;
  for (let k = 0; k < n; k++) {
    if (k > 0 && words.breakBefore(at + k)) return false;
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
