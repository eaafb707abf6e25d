/** Folded comparison keys: the words of a text, folded (see foldVietnamese), joined by single spaces. */
import { foldVietnamese } from '../core/text.js';

const WORD = /[\p{L}\p{N}]+/gu;
/** A run of white space other than a lone plain space (which reads as it would squeezed). */
const SPACES = /(?! )\s\s*| \s+/g;

/** Runs of white space as one plain space. */
export function squeezeSpaces(text: string): string {
  return text.replace(SPACES, ' ');
}

/** A text folded for marker tables: accents folded, white space squeezed and trimmed. */
export function foldLine(text: string): string {
  return squeezeSpaces(foldVietnamese(text)).trim();
}

/** `foldLine`, worked out once per text: a page's steps fold many of the same lines (a paragraph read as a standfirst candidate, then as boilerplate). */
export type LineFolder = (text: string) => string;

/** A LineFolder remembering what it folded: one per page, dropped with it. */
export function lineFolder(): LineFolder {
  const folded = new Map<string, string>();
  return (text) => {
    let line = folded.get(text);
    if (line === undefined) folded.set(text, (line = foldLine(text)));
    return line;
  };
}

/** The folded words of a text. */
export function foldWords(text: string): string[] {
  return foldVietnamese(text).match(WORD) ?? [];
}

/** `Tin tức - Sự kiện!` → `tin tuc su kien`: what two labels must share to name the same thing. */
export function foldKey(text: string): string {
  return foldWords(text).join(' ');
}
