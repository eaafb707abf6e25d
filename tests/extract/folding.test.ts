import { describe, expect, it } from 'vitest';
import { cleanText, collapseWhitespace, foldVietnamese, toNFC } from '../../src/core/text.js';
import { foldKey, foldWords, squeezeSpaces } from '../../src/extract/fold.js';

// The fast paths must give exactly what the plain definitions give.
const plain = {
  fold: (s: string): string =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase(),
  collapse: (s: string): string => s.replace(/[\s\u00A0\u200B\uFEFF]+/g, ' ').trim(),
  clean: (s: string): string =>
    s
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ''),
  key: (s: string): string =>
    plain
      .fold(s)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  words: (s: string): string[] => plain.fold(s).match(/[\p{L}\p{N}]+/gu) ?? [],
  squeeze: (s: string): string => s.replace(/\s+/g, ' '),
};

const POOLS = [
  'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ',
  ' \t\n\r\u00a0\u200b\ufeff\u2028\u3000\u1680\u202f',
  '0123456789.,;:!?-–—"“”()[]²',
  '\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b',
  'ΣσςİıßﬁÅΩ\u0483\u05b0\u0591한글漢字😀𝐀\ud800\u2000\u2001\u1e9e\u01c5',
];

/** Seeded, so a failure repeats. */
function randomTexts(count: number): string[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    const pools = 1 + next(POOLS.length);
    let s = '';
    for (let i = next(24); i > 0; i--) {
      const pool = POOLS[next(pools)]!;
      s += pool[next(pool.length)];
    }
    out.push(next(4) === 0 ? s.normalize('NFD') : s);
  }
  return out;
}

const every = (fn: (unit: string) => string[]): string[] => {
  const out: string[] = [];
  for (let code = 0; code < 0x10000; code++) out.push(...fn(String.fromCharCode(code)));
  return out;
};

describe('text folding fast paths', () => {
  const texts = [...randomTexts(20_000), ...every((u) => [u, `A${u}\u0301 x`, ` ${u}  `])];

  it('foldVietnamese equals NFD, marks removed, đ → d, lower case', () => {
    expect(texts.filter((s) => foldVietnamese(s) !== plain.fold(s))).toEqual([]);
  });

  it('collapseWhitespace, cleanText and toNFC equal their plain definitions', () => {
    expect(texts.filter((s) => collapseWhitespace(s) !== plain.collapse(s))).toEqual([]);
    expect(texts.filter((s) => cleanText(s) !== plain.clean(s))).toEqual([]);
    expect(texts.filter((s) => toNFC(s) !== s.normalize('NFC'))).toEqual([]);
  });

  it('foldKey, foldWords and squeezeSpaces equal their regex definitions', () => {
    expect(texts.filter((s) => foldKey(s) !== plain.key(s))).toEqual([]);
    expect(texts.filter((s) => foldWords(s).join('|') !== plain.words(s).join('|'))).toEqual([]);
    expect(texts.filter((s) => squeezeSpaces(s) !== plain.squeeze(s))).toEqual([]);
  });
});
