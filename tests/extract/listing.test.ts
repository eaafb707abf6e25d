import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/article.js';
import { extractListing } from '../../src/extract/listing.js';
import { ExtractError } from '../../src/core/errors.js';
import { PAGES_DIR } from './fixtures.js';

interface ListingExpectation {
  url: string;
  links: string[];
  nextPage: string | null;
  linkPattern?: string;
}

const dir = join(PAGES_DIR, 'listings');
const listings = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .sort()
  .map((f) => ({
    name: f.replace('.expected.json', ''),
    html: readFileSync(join(dir, f.replace('.expected.json', '.html')), 'utf8'),
    expected: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ListingExpectation,
  }));

describe('extractListing on listing fixtures', () => {
  it('has two listings per family', () => {
    for (const family of ['liferay', 'portal', 'wordpress']) {
      expect(listings.filter((l) => l.name.startsWith(family)).length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(listings.map((l) => [l.name, l] as const))('%s: headline links and next page without a pattern', (_n, { html, expected }) => {
    const page = extractListing(html, expected.url);
    expect(page.url).toBe(expected.url);
    expect(page.links).toEqual(expected.links);
    expect(page.nextPage).toBe(expected.nextPage);
  });

  it.each(listings.filter((l) => l.expected.linkPattern).map((l) => [l.name, l] as const))('%s: with linkPattern', (_n, { html, expected }) => {
    const page = extractListing(html, expected.url, { linkPattern: expected.linkPattern });
    expect(page.links).toEqual(expected.links);
  });

  it.each(listings.map((l) => [l.name, l] as const))('%s is not mistaken for an article', (_n, { html, expected }) => {
    expect(() => extractArticle(html, expected.url)).toThrow(ExtractError);
  });
});

describe('extractListing rules', () => {
  const base = 'https://www.quangtri.gov.vn/tin-tuc';

  it('keeps page order, drops duplicates and other hosts, allows www and scheme variants', () => {
    const html = `<ul>
      <li><a href="/tin-tuc/a-1">Bài thứ nhất về nông nghiệp</a></li>
      <li><a href="http://quangtri.gov.vn/tin-tuc/b-2">Bài thứ hai về giáo dục tỉnh</a></li>
      <li><a href="/tin-tuc/a-1#top">Bài thứ nhất về nông nghiệp</a></li>
      <li><a href="https://example.com/tin-tuc/c-3">Bài ở trang khác hoàn toàn</a></li>
      <li><a href="javascript:void(0)">Bài viết không có liên kết thật</a></li>
    </ul>`;
    expect(extractListing(html, base, { linkPattern: '^/tin-tuc/' }).links).toEqual([
      'https://www.quangtri.gov.vn/tin-tuc/a-1',
      'http://quangtri.gov.vn/tin-tuc/b-2',
    ]);
  });

  it.each([
    ['rel=next', '<a rel="next" href="?page=2">x</a>', 'https://www.quangtri.gov.vn/tin-tuc?page=2'],
    ['Trang sau', '<div><a href="/tin-tuc?page=2">Trang sau</a></div>', 'https://www.quangtri.gov.vn/tin-tuc?page=2'],
    ['Tiếp »', '<div><a href="/tin-tuc/trang/2">Tiếp »</a></div>', 'https://www.quangtri.gov.vn/tin-tuc/trang/2'],
    ['›', '<div><a href="/tin-tuc?p=2">›</a></div>', 'https://www.quangtri.gov.vn/tin-tuc?p=2'],
    [
      'page number',
      '<ul class="pagination"><li class="active"><span>1</span></li><li><a href="/tin-tuc?page=2">2</a></li></ul>',
      'https://www.quangtri.gov.vn/tin-tuc?page=2',
    ],
    ['none', '<p>Hết</p>', null],
  ])('next page by %s', (_n, html, expected) => {
    expect(extractListing(`<html><body>${html}</body></html>`, base).nextPage).toBe(expected);
  });

  // One list mixing URL generations: a short query id, an .aspx item, a WordPress slug without any id.
  it('keeps list items whose URLs carry a query id or only a long slug', () => {
    const items = [
      '/chi-tiet-tin/-/view-article/1/52/1710121200000',
      '/chi-tiet-tin/-/view-article/1/52/1710021200000',
      '/chi-tiet-tin/-/view-article/1/52/1709921200000',
      '/vi/detailnews/?id=news_123',
      '/Pages/Tin-tuc-su-kien.aspx?ItemID=4521',
      '/cong-an-huyen-huong-hoa-triet-pha-duong-day/',
    ];
    const html = `<nav><a href="/gioi-thieu">Giới thiệu về tỉnh Quảng Trị</a></nav><main><ul>${items
      .map((href, i) => `<li><h3><a href="${href}">Tiêu đề bài viết thứ ${i + 1} của trang</a></h3><p>Tóm tắt.</p></li>`)
      .join('')}</ul></main>`;
    expect(extractListing(html, base).links).toEqual(items.map((p) => new URL(p, base).href));
  });

  // Joomla's category blog: one item titled in two words sits in the same markup as its neighbours.
  it('keeps an item of the main list whose title is short, but not a short link elsewhere', () => {
    const items = [
      '/tin-tuc/1205-trien-khai-nhiem-vu-nam-2024',
      '/tin-tuc/1204-hoi-nghi-tong-ket',
      '/tin-tuc/1203-ra-quan-tuan-tra',
      '/tin-tuc/1202-tap-huan',
    ];
    const titles = [
      'Triển khai nhiệm vụ phát triển kinh tế năm 2024',
      'Hội nghị tổng kết công tác tư pháp',
      'Ra quân tuần tra kiểm soát giao thông',
      'Tập huấn',
    ];
    const html = `<main><div class="blog">${items
      .map((href, i) => `<div class="item"><h2><a href="${href}">${titles[i]}</a></h2><p>Tóm tắt.</p></div>`)
      .join('')}<p><a href="/tin-tuc/1190-lich">Lịch tuần</a></p></div></main>`;
    expect(extractListing(html, base).links).toEqual(items.map((p) => new URL(p, base).href));
  });

  it('uses configured selectors when given', () => {
    const html = '<div class="list"><h3><a href="/tin-tuc/x">Một</a></h3></div><a class="next" href="/tin-tuc?page=9">9</a>';
    const page = extractListing(html, base, { selectors: { listingLinks: '.list h3', nextPage: 'a.next' } });
    expect(page.links).toEqual(['https://www.quangtri.gov.vn/tin-tuc/x']);
    expect(page.nextPage).toBe('https://www.quangtri.gov.vn/tin-tuc?page=9');
  });

  it('rejects an invalid pattern with an ExtractError', () => {
    expect(() => extractListing('<a href="/x">x</a>', base, { linkPattern: '(' })).toThrow(ExtractError);
  });
});

describe('next page from URL patterns', () => {
  it.each([
    ['/tin-tuc?page=3', '<a href="/tin-tuc?page=4"><i class="icon-right"></i></a>', 'https://www.quangtri.gov.vn/tin-tuc?page=4'],
    [
      '/category/tin-tuc/page/2/',
      '<a href="/category/tin-tuc/page/3/"><span class="arrow"></span></a>',
      'https://www.quangtri.gov.vn/category/tin-tuc/page/3/',
    ],
    [
      '/tin-tuc-su-kien?p_p_id=x&_x_cur=1',
      '<a href="/tin-tuc-su-kien?p_p_id=x&amp;_x_cur=2"><img src="/next.png" alt=""></a>',
      'https://www.quangtri.gov.vn/tin-tuc-su-kien?p_p_id=x&_x_cur=2',
    ],
    ['/tin-tuc', '<a href="/tin-tuc?page=2"><i class="fa fa-angle-right"></i></a>', 'https://www.quangtri.gov.vn/tin-tuc?page=2'],
    ['/tin-tuc?page=3', '<a href="/thong-bao?page=4"><i></i></a>', null],
  ])('on %s', (path, html, expected) => {
    expect(extractListing(`<html><body><main>${html}</main></body></html>`, `https://www.quangtri.gov.vn${path}`).nextPage).toBe(expected);
  });
});
