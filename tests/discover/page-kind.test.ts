import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyPage, extractArticle, listingItems, type PageKind } from '../../src/extract/index.js';
import { articleFixtures } from '../extract/fixtures.js';
import { SITES_DIR } from '../helpers/sites.js';

const NOW = new Date('2025-06-01T00:00:00Z');

function verdictOf(html: string, url: string) {
  let article = null;
  try {
    article = extractArticle(html, url, { now: NOW });
  } catch {
    // No article: the classifier is asked about the page alone.
  }
  return classifyPage(html, url, article);
}

function site(family: string, route: string): { html: string; url: string } {
  const manifest = JSON.parse(readFileSync(join(SITES_DIR, family, 'site.json'), 'utf8')) as { routes: Record<string, string | { file: string }> };
  const entry = manifest.routes[route]!;
  const file = typeof entry === 'string' ? entry : entry.file;
  const html = readFileSync(join(SITES_DIR, family, file), 'utf8').replaceAll('{{origin}}', 'http://portal.test');
  return { html, url: `http://portal.test${route}` };
}

describe('page kinds', () => {
  it.each<[string, string, PageKind]>([
    ['liferay', '/', 'chrome'],
    ['liferay', '/tin-tuc-su-kien', 'listing'],
    ['liferay', '/gioi-thieu', 'chrome'],
    ['liferay', '/to-chuc-bo-may', 'chrome'],
    ['liferay', '/lien-he', 'chrome'],
    ['liferay', '/thong-bao', 'chrome'],
    ['liferay', '/chi-tiet-tin/-/view-article/1/1201/1704067200000', 'error'],
    ['liferay', '/chi-tiet-tin/-/view-article/1/1201/1705668480000', 'article'],
    ['scripted', '/', 'chrome'],
    ['scripted', '/tin-tuc', 'chrome'],
    ['scripted', '/thong-tin/gioi-thieu', 'chrome'],
    ['scripted', '/thong-tin/so-do-cong', 'chrome'],
    ['scripted', '/tin-tuc/thong-bao-tam-dung-cung-cap-dich-vu-cong', 'error'],
    ['scripted', '/tin-tuc/le-hoi-thong-nhat-non-song-thu-hut-hang-van-du-khach', 'article'],
    ['wordpress', '/', 'listing'],
    ['wordpress', '/category/tin-tuc/', 'listing'],
    ['wordpress', '/category/tin-tuc/page/2/', 'listing'],
    ['wordpress', '/tag/an-ninh/', 'tag'],
    ['wordpress', '/author/leminh/', 'author'],
    ['wordpress', '/?s=an+ninh', 'search'],
    ['wordpress', '/gioi-thieu/', 'chrome'],
    ['wordpress', '/gioi-thieu/lich-su-cong-an-tinh/', 'chrome'],
    ['wordpress', '/feed/', 'error'],
    ['wordpress', '/2024/05/10/dam-bao-trat-tu-an-toan-giao-thong-mua-du-lich-he/', 'article'],
  ])('%s %s is %s', (family, route, kind) => {
    const { html, url } = site(family, route);
    expect(verdictOf(html, url).kind).toBe(kind);
  });

  it('every golden article page of the extraction fixtures stays an article', () => {
    const notArticles = articleFixtures()
      .map((f) => ({ name: f.name, verdict: verdictOf(f.html, f.expected.url) }))
      .filter((r) => r.verdict.kind !== 'article');
    expect(notArticles).toEqual([]);
  });

  it.each([
    ['a tag path', 'http://portal.test/tag/giao-thong/', 'tag'],
    ['an author path', 'http://portal.test/tac-gia/nguyen-van-a', 'author'],
    ['a search query', 'http://portal.test/tim-kiem?keyword=lu', 'search'],
    ['a contact page', 'http://portal.test/lien-he', 'chrome'],
  ])('%s names its kind even when the page reads like an article', (_label, url, kind) => {
    const html = `<html><head><title>Trang</title></head><body><h1>Tiêu đề trang khá dài ở đây</h1>${'<p>Nội dung đoạn văn bản dài để trích xuất được. Câu tiếp theo của đoạn văn này.</p>'.repeat(12)}<p>Ngày 19/01/2024</p></body></html>`;
    expect(verdictOf(html, url).kind).toBe(kind);
  });

  it('a news story about "liên hệ" with article metadata is still an article', () => {
    const { html } = site('scripted', '/tin-tuc/le-hoi-thong-nhat-non-song-thu-hut-hang-van-du-khach');
    expect(verdictOf(html, 'http://portal.test/lien-he').kind).toBe('article');
  });

  it('reads the headline, date and summary of each listing entry, not its category link', () => {
    const { html, url } = site('wordpress', '/category/tin-tuc/');
    const items = listingItems(html, url);
    expect(items.map((i) => new URL(i.url).pathname)).toEqual([
      '/2024/05/10/dam-bao-trat-tu-an-toan-giao-thong-mua-du-lich-he/',
      '/2024/05/08/pha-duong-day-mua-ban-trai-phep-chat-ma-tuy-qua-bien-gioi/',
      '/2024/05/06/trao-tang-nha-tinh-nghia-cho-gia-dinh-chinh-sach-tai-huong-hoa/',
      '/2024/05/04/canh-bao-thu-doan-gia-danh-co-quan-cong-an-goi-dien-lua-dao/',
    ]);
    expect(items[0]).toMatchObject({ title: 'Đảm bảo trật tự an toàn giao thông mùa du lịch hè', date: '2024-05-10T01:00:00.000Z' });
    expect(items.every((i) => i.summary)).toBe(true);
  });
});
