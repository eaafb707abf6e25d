/** Text normalisation shared by extraction, tagging and dedup. */

/**
 * Text NFC leaves as it is: Latin (with Vietnamese) letters and punctuation, none of which decomposes or composes
 * with what precedes it. U+2000/U+2001 are left out: they normalise to U+2002/U+2003.
 */
// eslint-disable-next-line no-control-regex
const NFC_STABLE = /^[\u0000-\u02FF\u1E00-\u1EFF\u2002-\u206F]*$/;

/** `input.normalize('NFC')`, skipping the call for text it would leave as it is. */
export function toNFC(input: string): string {
  return NFC_STABLE.test(input) ? input : input.normalize('NFC');
}

/** NFC, with the characters XML 1.0 cannot carry removed. */
export function cleanText(input: string): string {
  return stripInvalidXmlChars(toNFC(input));
}

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character INVALID_XML may remove: a plain scan, far cheaper than INVALID_XML's lookarounds. */
// eslint-disable-next-line no-control-regex
const MAYBE_INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripInvalidXmlChars(input: string): string {
  return MAYBE_INVALID_XML.test(input) ? input.replace(INVALID_XML, '') : input;
}

const SPACE_RUN = /[\s\u00A0\u200B\uFEFF]+/g;
/** Anything collapsing would change: a space that is not one plain space between two other characters. */
const UNTIDY_SPACE = /[\t-\r\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]| [\s\u00A0\u200B\uFEFF]|^ | $/;

/** Collapses runs of white space (including NBSP) to one space and trims. */
export function collapseWhitespace(input: string): string {
  // Most text is already tidy; testing is much cheaper than rebuilding it.
  return UNTIDY_SPACE.test(input) ? input.replace(SPACE_RUN, ' ').trim() : input;
}

function foldSlowly(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/**
 * Folded form of every UTF-16 unit of Latin, Vietnamese and punctuation text, or undefined where one unit
 * cannot be folded alone (its decomposition keeps a mark that NFD ordering could move). Built on first use.
 */
let foldTable: Array<string | undefined> | null = null;
const FOLD_RANGES: Array<[number, number]> = [
  [0x0000, 0x036f],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
];
/** First UTF-16 unit past the fold table: no unit from here on folds alone. */
export const FOLD_TABLE_END = 0x2070;

function foldTableOf(): Array<string | undefined> {
  if (!foldTable) {
    const table: Array<string | undefined> = new Array(FOLD_TABLE_END);
    for (const [from, to] of FOLD_RANGES) {
      for (let code = from; code <= to; code++) {
        const folded = foldSlowly(String.fromCharCode(code));
        table[code] = /\p{M}/u.test(folded) ? undefined : folded;
      }
    }
    foldTable = table;
  }
  return foldTable;
}

/** What one UTF-16 unit folds to on its own, or undefined when it folds only with its neighbours (see foldVietnamese). */
export function foldUnit(code: number): string | undefined {
  return code < FOLD_TABLE_END ? foldTableOf()[code] : undefined;
}

/**
 * Lowercase, accent- and tone-free form of Vietnamese text: `Đảng` → `dang`, `hóa`/`hoá` → `hoa`.
 * Used for matching, never for display.
 */
export function foldVietnamese(input: string): string {
  // Per-unit folding equals NFD-then-strip whenever no surviving mark could be reordered: true for the table's units.
  const table = foldTableOf();
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    const folded = code < FOLD_TABLE_END ? table[code] : undefined;
    if (folded === undefined) return foldSlowly(input);
    out += folded;
  }
  return out;
}

/** Word tokens of folded text (letters and digits). */
export function foldedWords(input: string): string[] {
  return foldVietnamese(input).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** `text` as a literal inside a RegExp source. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
