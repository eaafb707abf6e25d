/** Folded comparison keys: the words of a text, folded (see foldVietnamese), joined by single spaces. */
import { foldVietnamese } from '../core/text.js';

const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Per BMP code unit: 1 a letter or a digit, 2 neither, 0 not yet asked (each unit is tested once, when first met). */
const unitKinds = new Uint8Array(0x10000);

/** Start and end of each word of `folded`, or null when it holds surrogates (astral letters need the regex). */
function wordSpans(folded: string): number[] | null {
  const spans: number[] = [];
  let start = -1;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return null;
    let kind = unitKinds[code]!;
    if (kind === 0) unitKinds[code] = kind = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
    if (kind === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      spans.push(start, i);
      start = -1;
    }
  }
  if (start >= 0) spans.push(start, folded.length);
  return spans;
}

/** Whether `folded` is its words one plain space apart and nothing else (most titles and labels): its own key. */
function spacedWords(folded: string, spans: number[]): boolean {
  if (spans.length === 0 || spans[0] !== 0 || spans[spans.length - 1] !== folded.length) return false;
  for (let i = 1; i < spans.length - 1; i += 2) {
    if (spans[i + 1]! - spans[i]! !== 1 || folded.charCodeAt(spans[i]!) !== 32) return false;
  }
  return true;
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
  if (spacedWords(folded, spans)) return folded;
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
