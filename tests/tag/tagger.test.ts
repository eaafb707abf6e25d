import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTagger, formatExplanation, loadTaxonomy, parseTaxonomy, type TagInput } from '../../src/tag/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** A small taxonomy whose scores can be worked out by hand. */
const small = parseTaxonomy(
  {
    threshold: 5,
    scoring: { title: 3, lead: 2, body: 1, section: 8, relative: 0.4, bodyRepeatCap: 2.5, placeBodyMin: 2 },
    general: { slug: 'tong-hop', name: 'Tổng hợp', description: 'Khác' },
    categories: [
      {
        slug: 'chinh-tri',
        name: 'Chính trị',
        sections: ['Chính trị', 'Xây dựng Đảng'],
        keywords: [
          { term: 'xây dựng Đảng', weight: 4 },
          { term: 'Đảng', weight: 2, exact: true },
        ],
      },
      {
        slug: 'kinh-te',
        name: 'Kinh tế',
        sections: ['Kinh tế'],
        keywords: [
          { term: 'đầu tư', weight: 2 },
          { term: 'kinh tế', weight: 2 },
          { term: 'phát triển kinh tế - xã hội', weight: 0 },
        ],
      },
      {
        slug: 'quoc-phong-an-ninh',
        name: 'Quốc phòng - An ninh',
        sections: ['An ninh trật tự'],
        keywords: [{ term: 'an ninh', weight: 3 }],
      },
      {
        slug: 'nong-nghiep',
        name: 'Nông nghiệp',
        keywords: [
          { term: 'nông thôn mới', weight: 4 },
          { term: 'hoà bình', weight: 2, exact: true },
        ],
      },
      { slug: 'doi-ngoai', name: 'Đối ngoại', keywords: [{ term: 'Lào', weight: 3, exact: true }] },
    ],
    places: [
      { slug: 'dong-ha', name: 'Đông Hà', terms: ['Đông Hà'] },
      { slug: 'quang-ninh', name: 'Quảng Ninh (Quảng Bình)', terms: ['huyện Quảng Ninh'] },
    ],
  },
  'small.yaml',
);
const tagger = createTagger(small);

function input(partial: Partial<TagInput>): TagInput {
  return { title: '', lead: null, text: '', section: null, ...partial };
}

describe('matching is insensitive to case, accents, tone placement and Unicode form', () => {
  it.each(['Nông thôn mới', 'NÔNG THÔN MỚI', 'nong thon moi', 'Nông thôn mới'.normalize('NFD'), 'Nông  thôn\u00A0mới'])(
    'title %j → nong-nghiep',
    (title) => {
      expect(tagger.tag(input({ title })).categories).toEqual(['nong-nghiep']);
    },
  );

  it.each(['Hòa bình', 'Hoà Bình', 'HOÀ BÌNH', 'hòa bình'.normalize('NFD')])('exact term "hoà bình" matches %j', (title) => {
    expect(tagger.tag(input({ title })).categories).toEqual(['nong-nghiep']);
  });

  it.each([
    ['Lào', ['doi-ngoai']],
    ['Hợp tác với LÀO', ['doi-ngoai']],
    ['Người lao động', ['tong-hop']],
    ['Đảng bộ và Đảng viên', ['chinh-tri']],
    ['Đang đăng ký', ['tong-hop']],
    ['Hòa bình', ['nong-nghiep']],
    ['Hóa bình', ['tong-hop']],
  ] as const)('exact terms keep diacritics: %j → %j', (title, expected) => {
    expect(tagger.tag(input({ title })).categories).toEqual(expected);
  });
});

describe('word boundaries', () => {
  it.each([
    ['An ninh biên giới', true],
    ['"an-ninh" trật tự', true],
    ['Xã Phan Ninh đón Tết', false],
    ['anninh', false],
    ['Bình an. Ninh Thuận mưa lớn', false],
    ['Lễ cầu an (Ninh Bình)', false],
  ])('%j contains "an ninh": %s', (title, hit) => {
    expect(tagger.tag(input({ title })).categories.includes('quoc-phong-an-ninh')).toBe(hit);
  });

  it('a longer term hides the shorter one inside it (weight 0 phrases hide boilerplate)', () => {
    const e = tagger.explain(input({ title: 'Tiếp tục phát triển kinh tế - xã hội' }));
    expect(e.result.categories).toEqual(['tong-hop']);
    expect(e.categories.find((c) => c.slug === 'kinh-te')!.matches).toEqual([
      { term: 'phát triển kinh tế - xã hội', field: 'title', count: 1, weight: 0, points: 0 },
    ]);
  });
});

describe('section mapping', () => {
  it.each([
    ['Kinh tế', ['kinh-te']],
    ['KINH TẾ', ['kinh-te']],
    ['kinh te', ['kinh-te']],
    ['Trang chủ > Tin tức > Kinh tế', ['kinh-te']],
    ['Tin tức » Xây dựng Đảng', ['chinh-tri']],
    ['Tin tức / An ninh trật tự', ['quoc-phong-an-ninh']],
    ['Quốc phòng - An ninh', ['quoc-phong-an-ninh']],
    ['Trang chủ › Đối ngoại', ['doi-ngoai']],
    ['Tin tức', ['tong-hop']],
    ['Kinh tế - Xã hội', ['tong-hop']],
    ['Kinh tế biển', ['tong-hop']],
  ] as const)('section %j → %j', (section, expected) => {
    expect(tagger.tag(input({ title: 'Hội nghị tổng kết năm', section })).categories).toEqual(expected);
  });

  it('a mapped section is a strong signal that keywords can join', () => {
    const result = tagger.tag(input({ title: 'Thu hút đầu tư vào khu kinh tế', section: 'Chính trị' }));
    expect(result.categories).toEqual(['kinh-te', 'chinh-tri']);
    expect(result.scores).toEqual([
      { slug: 'kinh-te', score: 12, matched: ['title:đầu tư', 'title:kinh tế'] },
      { slug: 'chinh-tri', score: 8, matched: ['section:Chính trị'] },
    ]);
  });
});

describe('scoring', () => {
  it('weighs title over lead over body', () => {
    const scoreOf = (i: TagInput) => tagger.tag(i).scores.find((s) => s.slug === 'kinh-te')?.score;
    expect(scoreOf(input({ title: 'đầu tư' }))).toBe(6);
    expect(scoreOf(input({ lead: 'đầu tư' }))).toBe(4);
    expect(scoreOf(input({ text: 'đầu tư' }))).toBe(2);
  });

  it('gives repeated body terms diminishing returns, so a long body does not drown the title', () => {
    const body = Array.from({ length: 40 }, () => 'Dự án đầu tư mới.').join(' ');
    const e = tagger.explain(input({ title: 'Đảng bộ xã tổng kết', text: body }));
    const kinhTe = e.categories.find((c) => c.slug === 'kinh-te')!;
    expect(kinhTe.matches).toEqual([{ term: 'đầu tư', field: 'body', count: 40, weight: 2, points: 5 }]);
    // 40 body mentions (5 points) weigh less than one title mention of "Đảng" (6 points)
    expect(e.categories.find((c) => c.slug === 'chinh-tri')!.score).toBe(6);
    expect(e.result.categories).toEqual(['chinh-tri']);
  });

  it('keeps every category above the threshold and within 40 % of the best', () => {
    const result = tagger.tag(input({ title: 'Xây dựng Đảng gắn với kinh tế', lead: 'an ninh' }));
    // chinh-tri 12, kinh-te 6 (50 %), quoc-phong-an-ninh 6 (50 %)
    expect(result.categories).toEqual(['chinh-tri', 'kinh-te', 'quoc-phong-an-ninh']);
    const weak = tagger.tag(input({ title: 'Xây dựng Đảng, xây dựng Đảng', lead: 'Xây dựng Đảng và an ninh' }));
    expect(weak.categories).toEqual(['chinh-tri']);
  });

  it('does not count a weight-0 phrase in the headline as support for a second category', () => {
    const result = tagger.tag(input({ title: 'Nông thôn mới', lead: 'phát triển kinh tế - xã hội', text: 'đầu tư, đầu tư, đầu tư' }));
    expect(result.scores.map((s) => s.slug)).toEqual(['nong-nghiep', 'kinh-te']);
    expect(result.categories).toEqual(['nong-nghiep']);
  });

  it('does not add a second category from passing mentions deep in the body', () => {
    const result = tagger.tag(input({ title: 'Nông thôn mới', text: 'an ninh được giữ vững, an ninh tốt.' }));
    expect(result.scores.map((s) => s.slug)).toEqual(['nong-nghiep', 'quoc-phong-an-ninh']);
    expect(result.categories).toEqual(['nong-nghiep']);
  });

  it('falls back to the general category when nothing reaches the threshold', () => {
    expect(tagger.tag(input({}))).toEqual({ categories: ['tong-hop'], places: [], scores: [] });
    const weak = tagger.tag(input({ text: 'đầu tư' }));
    expect(weak.categories).toEqual(['tong-hop']);
    expect(weak.scores).toEqual([{ slug: 'kinh-te', score: 2, matched: ['body:đầu tư'] }]);
  });
});

describe('per-category rules', () => {
  const kinds = createTagger(
    parseTaxonomy(
      {
        threshold: 5,
        general: { slug: 'khac', name: 'Khác' },
        categories: [
          { slug: 'nong-nghiep', name: 'Nông nghiệp', keywords: [{ term: 'lúa', weight: 4, exact: true }] },
          {
            slug: 'chi-dao',
            name: 'Chỉ đạo',
            threshold: 8,
            relative: 0,
            headlineOnly: true,
            keywords: [{ term: 'chỉ thị', weight: 3 }],
          },
        ],
      },
      'kinds.yaml',
    ),
  );

  it.each<[Partial<TagInput>, string[]]>([
    // a directive about rice is both, however much rice dominates (relative: 0)
    [{ title: 'Chỉ thị về lúa', lead: 'Lúa, lúa và lúa; chỉ thị' }, ['nong-nghiep', 'chi-dao']],
    // own threshold 8: one lead mention (6) is not enough
    [{ title: 'Lúa vụ mùa', lead: 'Theo chỉ thị' }, ['nong-nghiep']],
    // headlineOnly: body mentions never count
    [{ title: 'Lúa vụ mùa', text: 'chỉ thị, chỉ thị, chỉ thị, chỉ thị, chỉ thị' }, ['nong-nghiep']],
    [{ title: 'Chỉ thị số 5', text: 'chỉ thị' }, ['chi-dao']],
  ])('%j → %j', (partial, expected) => {
    expect(kinds.tag(input(partial)).categories).toEqual(expected);
  });

  it('reports what a category needed in the explanation', () => {
    const e = kinds.explain(input({ title: 'Lúa vụ mùa', lead: 'Theo chỉ thị' }));
    expect(e.categories.find((c) => c.slug === 'chi-dao')).toMatchObject({ score: 6, needed: 8, assigned: false });
    expect(formatExplanation(e)).toContain('- chi-dao (Chỉ đạo): 6, needs 8');
  });
});

describe('places', () => {
  it.each([
    [{ title: 'Đông Hà ra mắt phố đi bộ' }, ['dong-ha']],
    [{ lead: 'Tại TP. Đông Hà, ...' }, ['dong-ha']],
    [{ text: 'Đông Hà có mưa.' }, []],
    [{ text: 'Đông Hà có mưa. Đông Hà ngập.' }, ['dong-ha']],
    [{ title: 'Huyện Quảng Ninh thu hoạch lúa' }, ['quang-ninh']],
    [{ title: 'Tỉnh Quảng Ninh đón khách' }, []],
    [{ title: 'ĐÔNG HÀ mưa lớn' }, ['dong-ha']],
    [{ title: 'Dong Ha, đông hả?' }, []],
  ] as const)('%j → %j', (partial, expected) => {
    expect(tagger.tag(input(partial)).places).toEqual(expected);
  });
});

describe('explain and categories', () => {
  it('explains each score by term, field, count and weight', () => {
    const e = tagger.explain(input({ title: 'Thu hút đầu tư', lead: 'Đầu tư vào Đông Hà', text: 'đầu tư, đầu tư', section: 'Kinh tế' }));
    const kinhTe = e.categories.find((c) => c.slug === 'kinh-te')!;
    expect(kinhTe.assigned).toBe(true);
    expect(kinhTe.matches).toEqual([
      { term: 'Kinh tế', field: 'section', count: 1, weight: 8, points: 8 },
      { term: 'đầu tư', field: 'title', count: 1, weight: 2, points: 6 },
      { term: 'đầu tư', field: 'lead', count: 1, weight: 2, points: 4 },
      { term: 'đầu tư', field: 'body', count: 2, weight: 2, points: 3.39 },
    ]);
    expect(kinhTe.score).toBe(21.39);
    expect(e.places).toContainEqual({ slug: 'dong-ha', name: 'Đông Hà', assigned: true, matches: [{ term: 'Đông Hà', field: 'lead', count: 1 }] });
    const text = formatExplanation(e);
    expect(text).toContain('categories: kinh-te');
    expect(text).toContain('places: dong-ha');
    expect(text).toContain('+ kinh-te (Kinh tế): 21.39');
    expect(text).toMatch(/title "đầu tư" x1 weight 2 -> 6/);
    expect(text).toMatch(/body {2}"đầu tư" x2 weight 2 -> 3\.39/);
    expect(text).toContain('section "Kinh tế"');
  });

  it('says when the general category was used', () => {
    const text = formatExplanation(tagger.explain(input({ title: 'Dự báo thời tiết' })));
    expect(text).toContain('categories: tong-hop (nothing reached the threshold; general category "Tổng hợp")');
  });

  it('lists all categories in taxonomy order, general last', () => {
    expect(tagger.categories().map((c) => c.slug)).toEqual(['chinh-tri', 'kinh-te', 'quoc-phong-an-ninh', 'nong-nghiep', 'doi-ngoai', 'tong-hop']);
    expect(tagger.categories().at(-1)).toEqual({ slug: 'tong-hop', name: 'Tổng hợp', description: 'Khác' });
  });
});

describe('the shipped taxonomy on the hard cases', () => {
  const real = createTagger(loadTaxonomy(resolve(here, '../../config/categories.yaml')));

  it.each<[string, TagInput, string[]]>([
    [
      'an economy article mentioning the Party secretary',
      input({
        title: 'Bí thư Tỉnh ủy kiểm tra tiến độ dự án nhà máy điện khí',
        lead: 'Bí thư Tỉnh ủy đề nghị nhà đầu tư đẩy nhanh thi công, sớm đưa nhà máy vào vận hành, đóng góp cho ngân sách.',
      }),
      ['kinh-te'],
    ],
    [
      'a police article about traffic during a festival',
      input({
        title: 'Bảo đảm an toàn giao thông trong mùa lễ hội',
        lead: 'Cảnh sát giao thông tăng cường tuần tra, xử lý vi phạm nồng độ cồn tại các tuyến đường dẫn vào khu vực lễ hội.',
      }),
      ['quoc-phong-an-ninh'],
    ],
    [
      'a directive of the provincial People’s Committee about agriculture',
      input({
        title: 'UBND tỉnh chỉ thị tăng cường phòng, chống dịch bệnh trên đàn gia súc',
        lead: 'Chủ tịch UBND tỉnh yêu cầu các sở, ngành, địa phương hướng dẫn người chăn nuôi tiêm phòng vắc xin.',
      }),
      ['chi-dao-dieu-hanh', 'nong-nghiep-nong-thon'],
    ],
    [
      'Lao cooperation on trade',
      input({
        title: 'Hội chợ thương mại Việt - Lào tại Lao Bảo',
        lead: 'Hơn 200 gian hàng của doanh nghiệp Việt Nam và Lào giới thiệu hàng hóa, xúc tiến xuất khẩu.',
      }),
      ['doi-ngoai', 'kinh-te'],
    ],
  ])('%s', (_label, item, expected) => {
    expect([...real.tag(item).categories].sort()).toEqual([...expected].sort());
  });
});
