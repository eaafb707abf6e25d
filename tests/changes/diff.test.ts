import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textDiffHtml, titleDiffHtml, tokenize, wordDiff } from '../../src/publish/diff.js';

const side = (ops: ReturnType<typeof wordDiff>, keep: 'del' | 'ins') =>
  ops
    .filter((o) => o.op === 'eq' || o.op === keep)
    .map((o) => o.text)
    .join('');

describe('word diff of Vietnamese text', () => {
  it.each([
    [
      'an edited figure',
      'tổng mức đầu tư hơn 2.600 tỷ đồng',
      'tổng mức đầu tư hơn 2.750 tỷ đồng',
      'tổng mức đầu tư hơn <del>2.600</del><ins>2.750</ins> tỷ đồng',
    ],
    [
      'a words added to a title',
      'Hội nghị tổng kết vụ đông xuân',
      'Hội nghị tổng kết vụ đông xuân và triển khai vụ hè thu',
      'Hội nghị tổng kết vụ đông xuân<ins> và triển khai vụ hè thu</ins>',
    ],
    [
      'a changed name',
      'Ông Nguyễn Văn Hùng, Phó Chủ tịch UBND tỉnh',
      'Ông Trần Văn Hùng, Chủ tịch UBND tỉnh',
      'Ông <del>Nguyễn</del><ins>Trần</ins> Văn Hùng,<del> Phó</del> Chủ tịch UBND tỉnh',
    ],
    [
      'a changed tone only',
      'Đoàn kiểm tra làm việc tại Đông Hà',
      'Đoàn kiểm tra làm viêc tại Đông Hà',
      'Đoàn kiểm tra làm <del>việc</del><ins>viêc</ins> tại Đông Hà',
    ],
    [
      'two neighbouring words replaced read as one change',
      'đón hơn mười nghìn lượt khách',
      'đón hơn mười hai nghìn lượt khách',
      'đón hơn mười <ins>hai </ins>nghìn lượt khách',
    ],
    [
      'a replaced phrase',
      'có hai mươi cơ sở vi phạm',
      'có ba mươi lăm cơ sở vi phạm',
      'có <del>hai</del><ins>ba</ins> mươi<ins> lăm</ins> cơ sở vi phạm',
    ],
    [
      'an adjacent run replaced whole',
      'ngày 20/1 tại hội trường',
      'ngày 22/1 tại nhà văn hóa',
      'ngày <del>20/1</del><ins>22/1</ins> tại <del>hội trường</del><ins>nhà văn hóa</ins>',
    ],
    ['markup-like text is escaped', 'giá <5 triệu', 'giá <6 triệu & hơn', 'giá &lt;<del>5</del><ins>6</ins> triệu<ins> &amp; hơn</ins>'],
  ])('%s', (_name, before, after, golden) => {
    expect(titleDiffHtml(before, after)).toBe(golden);
  });

  it('compares NFC: decomposed tones equal their composed spelling', () => {
    expect(titleDiffHtml('du lịch biển', 'du lịch biển'.normalize('NFD'))).toBe('du lịch biển');
    expect(tokenize('Quảng Trị'.normalize('NFD'))).toEqual(['Quảng', ' ', 'Trị']);
  });

  it('text diffs show the changed paragraphs only, with … for the ones left out', () => {
    const before =
      'Sáng nay, UBND tỉnh tổ chức lễ khởi công với tổng vốn hơn 2.600 tỷ đồng.\n\nDự án dài 55 km.\n\nĐoạn ba không đổi.\n\nCó hai mươi cơ sở tham gia.';
    const after =
      'Sáng nay, UBND tỉnh tổ chức lễ khởi công với tổng vốn hơn 2.750 tỷ đồng.\n\nDự án dài 55 km.\n\nĐoạn ba không đổi.\n\nCó hai mươi cơ sở tham gia.\n\nĐoạn mới được thêm vào.';
    expect(textDiffHtml(before, after)).toBe(
      [
        '<p>Sáng nay, UBND tỉnh tổ chức lễ khởi công với tổng vốn hơn <del>2.600</del><ins>2.750</ins> tỷ đồng.</p>',
        '<p>…</p>',
        '<p><ins>Đoạn mới được thêm vào.</ins></p>',
      ].join('\n'),
    );
    expect(textDiffHtml(before, before)).toBe('');
  });

  it('either side of the diff is exactly the old or the new text (property)', () => {
    const word = fc.constantFrom('Quảng', 'Trị', 'đường', 'ven', 'biển', '2.600', 'tỷ', 'đồng', ',', '.', 'Đông', 'Hà', 'nghìn');
    const text = fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', '\n\n')), { maxLength: 40 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const ops = wordDiff(a, b);
        expect(side(ops, 'del')).toBe(a);
        expect(side(ops, 'ins')).toBe(b);
      }),
      { numRuns: 300 },
    );
  });
});
