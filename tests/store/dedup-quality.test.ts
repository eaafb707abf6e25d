import { seedText } from '../helpers/seed.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpsertOutcome } from '../../src/core/types.js';
import * as A from './fixtures/articles.js';
import { fromArticle, makeBackend } from './helpers.js';

const seedLines = seedText().split('\n');
const SEED: A.ArticleText = {
  title: seedLines[0] ?? '',
  // Date line dropped; the related-news block is boilerplate the extractor removes.
  text: seedLines
    .slice(3)
    .join('\n')
    .replace(/\nCác tin khác[\s\S]*$/, '')
    .trim(),
};
const BASES: Record<string, A.ArticleText> = {
  seed: SEED,
  harvest: A.HARVEST,
  road: A.ROAD,
  conference1: A.CONFERENCE_DAY1,
  conference3: A.CONFERENCE_DAY3,
  flood1: A.FLOOD_DAY1,
  flood2: A.FLOOD_DAY2,
  sharedA: A.SHARED_PARA_A,
  sharedB: A.SHARED_PARA_B,
};

function insertInSecondParagraph(text: string, sentence: string): string {
  const paragraphs = text.split('\n\n');
  paragraphs[1] = `${paragraphs[1] ?? ''} ${sentence}`;
  return paragraphs.join('\n\n');
}

const OLD_TO_NEW: Array<[RegExp, string]> = [
  [/óa/g, 'oá'],
  [/òa/g, 'oà'],
  [/ủy/g, 'uỷ'],
  [/ủ(?=y)/g, 'uỷ'],
  [/ụy/g, 'uỵ'],
  [/ùy/g, 'uỳ'],
];
const NEW_TO_OLD: Array<[RegExp, string]> = [
  [/oá/g, 'óa'],
  [/oà/g, 'òa'],
  [/uỷ/g, 'ủy'],
  [/uỵ/g, 'ụy'],
  [/uỳ/g, 'ùy'],
];

function tones(a: A.ArticleText, table: Array<[RegExp, string]>): A.ArticleText {
  const apply = (s: string) => table.reduce((out, [re, to]) => out.replace(re, to), s);
  return { title: apply(a.title), text: apply(a.text) };
}

/** Edits that leave the same article: (first version, second version). */
const EDITS: Record<string, (a: A.ArticleText) => [A.ArticleText, A.ArticleText]> = {
  'edited title': (a) => [a, { ...a, title: `Quảng Trị: ${a.title.replace(/^(\S+ \S+)/, '$1 thêm')} - cập nhật` }],
  'sentence added': (a) => [
    a,
    {
      ...a,
      text: insertInSecondParagraph(
        a.text,
        'Đây là kết quả đáng ghi nhận trong bối cảnh thời tiết diễn biến phức tạp, giá vật tư đầu vào tăng cao và nhiều khó khăn chưa được tháo gỡ.',
      ),
    },
  ],
  'typo fixed': (a) => [{ ...a, text: a.text.replace('tỉnh', 'tnỉh') }, a],
  'NFD vs NFC': (a) => [{ title: a.title.normalize('NFD'), text: a.text.normalize('NFD') }, a],
  'old vs new tone placement': (a) => [tones(a, NEW_TO_OLD), tones(a, OLD_TO_NEW)],
  'different boilerplate line': (a) => [a, { ...a, text: `${a.text.replace('(Cổng TTĐT) ', '')}\n\nNguồn: Báo Quảng Trị điện tử` }],
  'title edited and sentence added': (a) => [
    a,
    { title: `${a.title} (ảnh)`, text: insertInSecondParagraph(a.text, 'Lãnh đạo các sở, ngành và địa phương cùng dự.') },
  ],
};

/** Different articles that look alike: they must stay apart. */
const APART: Array<[string, A.ArticleText, A.ArticleText]> = [
  ['same conference, different days', A.CONFERENCE_DAY1, A.CONFERENCE_DAY3],
  ['flood bulletins a day apart', A.FLOOD_DAY1, A.FLOOD_DAY2],
  ['long shared standard paragraph', A.SHARED_PARA_A, A.SHARED_PARA_B],
];
const names = Object.keys(BASES);
for (const [i, x] of names.entries())
  for (const y of names.slice(i + 1)) APART.push([`${x} vs ${y}`, BASES[x] as A.ArticleText, BASES[y] as A.ArticleText]);

const tally = { merged: 0, missed: 0, keptApart: 0, wrongMerges: 0, beyondDistance3: 0 };

async function pair(first: A.ArticleText, second: A.ArticleText): Promise<{ outcome: UpsertOutcome; items: number }> {
  const backend = makeBackend('embedded');
  const store = await backend.open();
  try {
    await store.upsert(fromArticle(first, 'https://www.quangtri.gov.vn/tin-tuc/ban-dau', { publishedAt: '2024-01-19T12:48:00.000Z' }));
    const outcome = await store.upsert(
      fromArticle(second, 'https://baoquangtri.vn/bai-viet-khac', { sourceId: 'bao', publishedAt: '2024-01-19T15:00:00.000Z' }),
    );
    return { outcome, items: (await store.stats()).items };
  } finally {
    await store.close();
    await backend.cleanup();
  }
}

describe('near-duplicate quality on realistic Vietnamese articles', () => {
  afterAll(() => {
    console.log(
      `dedup quality: ${tally.merged} merged, ${tally.missed} missed, ${tally.keptApart} kept apart, ${tally.wrongMerges} wrong merges; ${tally.beyondDistance3} merges were beyond SimHash distance 3 (found by MinHash anchors + resemblance)`,
    );
  });

  const mergeCases = Object.entries(EDITS)
    .flatMap(([edit, make]) => ['seed', 'harvest', 'road', 'conference1', 'flood1', 'sharedA'].map((base) => [edit, base, make] as const))
    .filter(([, base, make]) => {
      const [first, second] = make(BASES[base] as A.ArticleText);
      return first.title + first.text !== second.title + second.text;
    });

  it.each(mergeCases)('%s (%s) is one item', async (_edit, base, make) => {
    const [first, second] = make(BASES[base] as A.ArticleText);
    expect(second.title + second.text).not.toBe(first.title + first.text);
    const { outcome, items } = await pair(first, second);
    if (items === 1) tally.merged++;
    else tally.missed++;
    if ((outcome.distance ?? 0) > 3) tally.beyondDistance3++;
    expect(['merged', 'duplicate']).toContain(outcome.status);
    expect(items).toBe(1);
    expect(outcome.item.guid).toBe('https://www.quangtri.gov.vn/tin-tuc/ban-dau');
  });

  it('nearDuplicateDistance 0 merges only identical fingerprints', async () => {
    const backend = makeBackend('embedded');
    const store = await backend.open({ nearDuplicateDistance: 0 });
    try {
      const [first, second] = (EDITS['sentence added'] as (a: A.ArticleText) => [A.ArticleText, A.ArticleText])(A.HARVEST);
      await store.upsert(fromArticle(first, 'https://a.vn/1'));
      expect((await store.upsert(fromArticle(second, 'https://b.vn/2'))).status).toBe('new');
      const [oldTones, newTones] = (EDITS['old vs new tone placement'] as (a: A.ArticleText) => [A.ArticleText, A.ArticleText])(A.FLOOD_DAY1);
      await store.upsert(fromArticle(oldTones, 'https://a.vn/3'));
      const out = await store.upsert(fromArticle(newTones, 'https://b.vn/4'));
      expect([out.status, out.distance]).toEqual(['merged', 0]);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });

  it.each(APART)('%s stay two items', async (_name, first, second) => {
    const { outcome, items } = await pair(first, second);
    if (items === 2) tally.keptApart++;
    else tally.wrongMerges++;
    expect(outcome.status).toBe('new');
    expect(items).toBe(2);
  });
});
