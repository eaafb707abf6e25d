import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldVietnamese } from '../../src/core/text.js';
import { compileTerm, countHits, splitWords, TermIndex, tonedForm, WordCache } from '../../src/tag/match.js';

describe('tonedForm', () => {
  it.each([
    ['hóa', 'hoá'],
    ['Hòa', 'hoà'],
    ['thủy', 'thuỷ'],
    ['quý', 'qúy'],
    ['khỏe', 'khoẻ'],
    ['hóa'.normalize('NFD'), 'hoá'],
    ['ĐẢNG', 'đảng'],
    ['đảng'.normalize('NFD'), 'đảng'],
  ])('treats %s and %s as the same word (tone placement, case, NFD)', (a, b) => {
    expect(tonedForm(a)).toBe(tonedForm(b));
  });

  it.each([
    ['đảng', 'đang'],
    ['đảng', 'đăng'],
    ['Lào', 'lao'],
    ['trường', 'trưởng'],
    ['lúa', 'lừa'],
    ['hóa', 'hòa'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(tonedForm(a)).not.toBe(tonedForm(b));
  });
});

describe('splitWords', () => {
  const cache = new WordCache();

  it('folds words and marks breaks at sentence punctuation only', () => {
    const words = splitWords('Kinh tế - xã hội, sở, ban, ngành. An ninh (Lào)', cache);
    expect(words.allFolded()).toEqual(['kinh', 'te', 'xa', 'hoi', 'so', 'ban', 'nganh', 'an', 'ninh', 'lao']);
    expect(words.allFolded().map((_, i) => words.breakBefore(i))).toEqual([true, false, false, false, false, false, false, true, false, true]);
  });

  it('reads decomposed (NFD) text like composed text', () => {
    const text = 'Nông thôn mới ở Hướng Hóa';
    const [nfd, nfc] = [splitWords(text.normalize('NFD'), cache), splitWords(text, cache)];
    expect(nfd.allFolded()).toEqual(nfc.allFolded());
  });
});

describe('countHits', () => {
  const cache = new WordCache();
  const index = new TermIndex<string>();
  for (const [term, exact] of [
    ['kinh tế', false],
    ['khu kinh tế', false],
    ['an ninh', false],
    ['Lào', true],
    ['lao động', false],
  ] as const) {
    index.add(compileTerm(term, exact, term, cache)!);
  }
  const hits = (text: string) => Object.fromEntries([...countHits(splitWords(text, cache), index, cache)].map(([t, n]) => [t.payload, n]));

  it.each<[string, Record<string, number>]>([
    ['Khu kinh tế Đông Nam và kinh tế biển', { 'khu kinh tế': 1, 'kinh tế': 1 }],
    ['KINH TE tang truong; kinh tế', { 'kinh tế': 2 }],
    ['bình an. Ninh Bình', {}],
    ['Phan Ninh, anninh, an ninh', { 'an ninh': 1 }],
    ['người lao động sang Lào; LÀO; lao', { 'lao động': 1, Lào: 2 }],
  ])('%s', (text, expected) => {
    expect(hits(text)).toEqual(expected);
  });
});

describe('countHits on an index that grows after it was searched', () => {
  it('finds the terms added since, with the same cache', () => {
    const cache = new WordCache();
    const index = new TermIndex<string>();
    index.add(compileTerm('an ninh', false, 'an ninh', cache)!);
    const words = splitWords('Quốc phòng, an ninh và biển đảo', cache);
    expect([...countHits(words, index, cache).keys()].map((t) => t.payload)).toEqual(['an ninh']);
    index.add(compileTerm('biển đảo', false, 'biển đảo', cache)!);
    index.add(compileTerm('an ninh quốc phòng', false, 'an ninh quốc phòng', cache)!);
    expect([...countHits(words, index, cache).keys()].map((t) => t.payload).sort()).toEqual(['an ninh', 'biển đảo']);
  });
});

describe('splitWords gaps', () => {
  const cache = new WordCache();
  it.each([
    ['an ninh', false],
    ['an\u00A0ninh', false],
    ['an\u200Bninh', false],
    ['an – ninh', false],
    ['“an” ninh', false],
    ['an\nninh', true],
    ['an: ninh', true],
    ['an (ninh', true],
    ['an; ninh', true],
    ['an 🙂 ninh', true],
  ])('%j breaks between the two words: %s', (text, broken) => {
    const words = splitWords(text, cache);
    expect(words.allFolded()).toEqual(['an', 'ninh']);
    expect(words.breakBefore(1)).toBe(broken);
  });
});

describe('words of generated text', () => {
  const cache = new WordCache();
  const letters = [
    ...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠĐỀẾỂỄỆ0123456789',
    '\u0301',
    '\u0323',
    'ß',
    'ǆ',
    'İ',
    'ﬁ',
    '中',
    'Ω',
  ];
  const text = fc
    .array(fc.oneof(fc.constantFrom(...letters), fc.constantFrom(' ', '. ', ', ', '-', '\n')), { maxLength: 60 })
    .map((parts) => parts.join(''));

  it('are the runs of letters, marks and digits of the NFC text, each folded', () => {
    fc.assert(
      fc.property(text, (input) => {
        const words = splitWords(input, cache);
        const runs = input.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
        expect(words.allFolded()).toEqual(runs.map(foldVietnamese));
      }),
      { numRuns: 500 },
    );
  });

  it('finds every term whose words appear in the text, whatever their case, accents or composition', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (input, nfd) => {
        const words = splitWords(nfd ? input.normalize('NFD') : input, cache);
        if (words.length === 0) return;
        const index = new TermIndex<string>();
        const term = compileTerm(words.lexeme(0).raw, false, 'first', cache);
        if (!term) return;
        index.add(term);
        expect(countHits(words, index, cache).get(term)).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
