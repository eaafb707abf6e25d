import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivePattern, matchesPattern, unionPattern } from '../../src/discover/index.js';

const at = (...paths: string[]) => paths.map((p) => `https://portal.test${p}`);

describe('link patterns from the links listing pages share', () => {
  it.each([
    [
      '3CMS article ids',
      at('/chi-tiet-tin/-/view-article/1/1234/1705668480000', '/chi-tiet-tin/-/view-article/1/55/1705668480001'),
      String.raw`^/chi-tiet-tin/-/view-article/\d+/\d+/\d+$`,
    ],
    [
      'new-portal slugs sharing a first word by chance',
      at('/tin-tuc/quang-tri-don-nhan', '/tin-tuc/quang-tri-trien-khai', '/tin-tuc/le-hoi-2'),
      '^/tin-tuc/[^/]+$',
    ],
    ['WordPress dated permalinks from one month', at('/2024/05/10/tin-a/', '/2024/05/11/tin-b/'), String.raw`^/\d+/\d+/\d+/[^/]+/?$`],
    ['a numbered query id', at('/vi/detailnews/?id=news_12', '/vi/detailnews/?id=news_13'), String.raw`^/vi/detailnews/?\?id=news_\d+$`],
    [
      'NukeViet pages under two categories',
      at('/vi/news/kinh-te/a-b-12.html', '/vi/news/kinh-te/c-d-13.html', '/vi/news/xa-hoi/e-f-14.html', '/vi/news/xa-hoi/g-h-15.html'),
      String.raw`^/vi/news/(?:kinh-te|xa-hoi)/[^/]+\.html$`,
    ],
  ])('%s', (_label, links, pattern) => {
    expect(derivePattern(links)).toBe(pattern);
    for (const link of links) expect(matchesPattern(pattern, link)).toBe(true);
  });

  it('a lone odd link does not widen the pattern', () => {
    const pattern = derivePattern(at('/tin-tuc/a-b-c', '/tin-tuc/d-e-f', '/tin-tuc/g-h-i', '/tin-tuc/j-k-l', '/lien-he'))!;
    expect(matchesPattern(pattern, 'https://portal.test/lien-he')).toBe(false);
  });

  it('no shape shared by two links: no pattern', () => {
    expect(derivePattern(at('/a', '/b/c'))).toBeNull();
  });

  it('section patterns join without repeats', () => {
    expect(unionPattern(['^/a/[^/]+$', '^/b/\\d+$', '^/a/[^/]+$'])).toBe('^(?:/a/[^/]+|/b/\\d+)$');
  });

  it('the pattern derived from links of one shape matches every one of them (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, fc.nat(1e9)), { minLength: 2, maxLength: 30 }), (rows) => {
        const links = rows.map(([slug, id]) => `https://portal.test/tin/${slug}/${id}`);
        const pattern = derivePattern(links);
        expect(pattern).not.toBeNull();
        for (const link of links) expect(matchesPattern(pattern!, link)).toBe(true);
      }),
    );
  });
});
