/** Folded comparison keys: the words of a text, folded (see foldVietnamese), joined by single spaces. */
import { foldVietnamese } from '../core/text.js';

const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
let letterOrDigit: Uint8Array | null = null;

/** 1 for every BMP code unit that is a letter or a digit (surrogates excluded), built on first use. */
function wordUnits(): Uint8Array {
  if (!letterOrDigit) {
    const table = new Uint8Array(0x10000);
    const one = /^[\p{L}\p{N}]$/u;
    for (let code = 0; code < 0x10000; code++) {
      if (code < 0xd800 || code > 0xdfff) table[code] = one.test(String.fromCharCode(code)) ? 1 : 0;
    }
    letterOrDigit = table;
  }
  return letterOrDigit;
}

/** Start and end of each word of `folded`, or null when it holds surrogates (astral letters need the regex). */
function wordSpans(folded: string): number[] | null {
  const table = wordUnits();
  const spans: number[] = [];
  let start = -1;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return null;
    if (table[code] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      spans.push(start, i);
      start = -1;
    }
  }
  if (start >= 0) spans.push(start, folded.length);
  return spans;
}

const SPACES = /\s+/g;
/** What SPACES would change: white space other than a plain space, or two in a row. */
const ODD_SPACE = /[^\S ]|\s\s/;

/** Runs of white space as one plain space (the text is usually tidy already: then it is returned as it is). */
export function squeezeSpaces(text: string): string {
  return ODD_SPACE.test(text) ? text.replace(SPACES, ' ') : text;
}

/** `Tin tức - Sự kiện!` → `tin tuc su kien`: what two labels must share to name the same thing. */
export function foldKey(text: string): string {
  const folded = foldVietnamese(text);
  const spans = wordSpans(folded);
  if (!spans) return folded.replace(NOT_WORD, ' ').trim();
  let out = '';
  for (let i = 0; i < spans.length; i += 2) out += (i ? ' ' : '') + folded.slice(spans[i], spans[i + 1]);
  return out;
}

/** The folded words of a text. */
export function foldWords(text: string): string[] {
  const folded = foldVietnamese(text);
  const spans = wordSpans(folded);
  if (!spans) return folded.match(WORD) ?? [];
  const out: string[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push(folded.slice(spans[i], spans[i + 1]));
  return out;
}
