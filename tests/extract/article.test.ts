import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/article.js';
import { ExtractError } from '../../src/core/errors.js';
import { readPage } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const SEED_URL = 'https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1234/1705668480000';

function page(body: string, head = ''): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const PARAGRAPHS = [
  'Sáng nay, tại thành phố Đông Hà, Ủy ban nhân dân tỉnh tổ chức hội nghị sơ kết công tác quý I, đánh giá kết quả thực hiện các nhiệm vụ trọng tâm.',
  'Theo báo cáo, tốc độ tăng trưởng kinh tế quý I ước đạt 6,5%, thu ngân sách đạt 28% dự toán, giải ngân vốn đầu tư công đạt 20% kế hoạch năm.',
  'Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương tập trung tháo gỡ khó khăn, đẩy nhanh tiến độ các dự án trọng điểm.',
]
  .map((p) => `<p>${p}</p>`)
  .join('');

describe('extractArticle', () => {
  it.each([
    ['an error page', page('<h1>404</h1><p>Không tìm thấy trang bạn yêu cầu.</p>', '<title>Lỗi</title>')],
    ['an empty page', page('')],
    ['a page with no title and no text', page('<div><img src="/a.jpg"></div>')],
  ])('throws ExtractError for %s', (_name, html) => {
    expect(() => extractArticle(html, 'https://www.quangtri.gov.vn/x', { now: NOW })).toThrow(ExtractError);
  });

  it('lets configured selectors override the heuristics', () => {
    const html = page(
      `<div class="a"><span class="t">Tiêu đề theo cấu hình riêng</span><em class="d">Ngày đăng 02/03/2024 10:15</em>
       <b class="who">Lê Văn Tám</b><div class="sapo">Tóm tắt do cấu hình chỉ ra, đủ dài để làm lead.</div>
       <div class="b">${PARAGRAPHS}<div class="ad">Quảng cáo chen giữa bài viết không liên quan gì cả.</div></div></div>`,
      '<title>Một tiêu đề khác hẳn - Cổng TTĐT</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/x', {
      now: NOW,
      selectors: { title: '.t', date: '.d', author: '.who', lead: '.sapo', body: '.b', remove: ['.ad'] },
    });
    expect(article.title).toBe('Tiêu đề theo cấu hình riêng');
    expect(article.publishedAt).toBe('2024-03-02T03:15:00.000Z');
    expect(article.author).toBe('Lê Văn Tám');
    expect(article.lead).toBe('Tóm tắt do cấu hình chỉ ra, đủ dài để làm lead.');
    expect(article.contentHtml).not.toContain('Quảng cáo');
    expect(article.contentHtml).toContain('tăng trưởng kinh tế quý I');
    expect(article.trace.find((t) => t.field === 'title')?.rule).toBe('selector');
    expect(article.trace.find((t) => t.field === 'body')?.rule).toBe('selector');
  });

  it('reads configured selectors against the tree a browser builds (tbody added, as the inspector shows it)', () => {
    const html = page(
      `<h1>Thông báo lịch tiếp công dân tháng 3</h1><table class="layout"><tr><td class="meta">Ngày 05/03/2024 08:00</td></tr>
       <tr><td class="main">${PARAGRAPHS}</td></tr></table>`,
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/x', {
      now: NOW,
      selectors: { date: 'table.layout > tbody > tr > td.meta', body: 'table.layout > tbody > tr > td.main' },
    });
    expect(article.trace.find((t) => t.field === 'body')?.rule).toBe('selector');
    expect(article.trace.find((t) => t.field === 'publishedAt')?.rule).toMatch(/^selector/);
    expect(article.publishedAt).toBe('2024-03-05T01:00:00.000Z');
    expect(article.contentHtml).toContain('tăng trưởng kinh tế quý I');
  });

  it('rejects an invalid selector with an ExtractError', () => {
    expect(() => extractArticle(page(PARAGRAPHS), 'https://www.quangtri.gov.vn/x', { selectors: { title: '[[' } })).toThrow(ExtractError);
  });

  it('explains the seed article in its trace', () => {
    const article = extractArticle(readPage('liferay/seed.html'), SEED_URL, { now: NOW });
    const rules = Object.fromEntries(article.trace.map((t) => [t.field, t.rule]));
    expect(rules).toMatchObject({
      title: 'heading~title-tag',
      publishedAt: 'date-line:time-weekday-date',
      author: 'last-line-author',
      lead: 'bold-first-paragraph',
      body: 'density:ends-with-credit',
      section: 'breadcrumb',
    });
  });

  it('falls back to the epoch in a 3CMS URL when the page shows no date', () => {
    const html = page(
      `<p class="title">Thông báo lịch tiếp công dân tháng 1 năm 2024</p>${PARAGRAPHS}`,
      '<title>Thông báo lịch tiếp công dân tháng 1 năm 2024</title>',
    );
    const article = extractArticle(html, SEED_URL, { now: NOW });
    expect(article.publishedAt).toBe('2024-01-19T12:48:00.000Z');
    expect(article.trace.find((t) => t.field === 'publishedAt')?.rule).toBe('url-epoch');
  });

  it('never takes the site name for the title, nor a caption or a sentence for the author', () => {
    const html = page(
      `<header><h1>Cổng thông tin điện tử tỉnh Quảng Trị</h1></header><main><h2>Quảng Trị khởi công cầu mới</h2>${PARAGRAPHS}
       <p style="text-align:center"><em>Các đại biểu thực hiện nghi thức khởi công</em></p></main>`,
      '<title>Quảng Trị khởi công cầu mới - Cổng thông tin điện tử tỉnh Quảng Trị</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/cau-moi', { now: NOW });
    expect(article.title).toBe('Quảng Trị khởi công cầu mới');
    expect(article.author).toBeNull();
    expect(article.publishedAt).toBeNull();
  });

  it('does not crash on broken JSON-LD and ignores a generic site description', () => {
    const html = page(
      `<h1>Tiêu đề bài viết thử nghiệm về nông nghiệp</h1>${PARAGRAPHS}`,
      '<title>Tiêu đề bài viết thử nghiệm về nông nghiệp</title><meta name="description" content="Cổng thông tin điện tử tỉnh Quảng Trị - thông tin chính thống của tỉnh"><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/y', { now: NOW });
    expect(article.lead).not.toContain('thông tin chính thống');
    expect(article.lead).toContain('Sáng nay, tại thành phố Đông Hà');
    expect(article.contentHtml).not.toContain('Sáng nay, tại thành phố Đông Hà');
  });
});

describe('extractArticle without a usable <title>', () => {
  it('takes a title-hinted paragraph, never the site name', () => {
    const html = page(
      `<header><h1 class="logo">Cổng thông tin điện tử tỉnh Quảng Trị</h1></header>
       <div class="detail"><p class="title-news">Hội nghị giao ban báo chí tháng 2 năm 2024</p><p class="date">09:00, Thứ Tư, 7-2-2024</p>
       <div class="content">${PARAGRAPHS}</div></div>`,
      '<title>Cổng TTĐT tỉnh Quảng Trị</title><meta name="description" content="Cổng TTĐT tỉnh Quảng Trị">',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/9/1707271200000', { now: NOW });
    expect(article.title).toBe('Hội nghị giao ban báo chí tháng 2 năm 2024');
    expect(article.publishedAt).toBe('2024-02-07T02:00:00.000Z');
    expect(article.lead).not.toBe('Cổng TTĐT tỉnh Quảng Trị');
  });

  it.each([
    ['a title-hinted h3', '<h3 class="title"><a href="/tin-tuc/khac">Một bài khác được giới thiệu ở đầu trang</a></h3>'],
    ['an h2', '<h2><a href="/tin-tuc/khac">Một bài khác được giới thiệu ở đầu trang</a></h2>'],
  ])('never takes %s that is all one link (a listed headline) as the title', (_name, headline) => {
    const html = page(
      `<div class="detail">${headline}<p class="title-news">Hội nghị giao ban báo chí tháng 2 năm 2024</p><p class="date">09:00, Thứ Tư, 7-2-2024</p>
       <div class="content">${PARAGRAPHS}</div></div>`,
      '<title>Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Trị</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/9/1707271200000', { now: NOW });
    expect(article.title).not.toBe('Một bài khác được giới thiệu ở đầu trang');
  });
});

describe('extractArticle on loosely built bodies', () => {
  const P = (n: number): string =>
    `Đoạn văn số ${n} nói về tình hình phát triển kinh tế, xã hội của địa phương trong năm qua, với nhiều kết quả tích cực và đáng ghi nhận.`;

  it('reads text written straight into a div with <br><br> as paragraphs, drops an inline "Xem thêm" link', () => {
    const html = page(
      `<div><div><h3>Bài viết dùng thẻ br để xuống dòng</h3><div>Cập nhật lúc 10:20 ngày 05/03/2024</div>
       <div>${P(1)}<br><br>${P(2)}<br><br><b>Xem thêm:</b> <a href="/tin-tuc/x">Một bài viết khác về kinh tế xã hội của tỉnh</a><br><br>${P(3)}<br><br><div style="text-align:right"><b>Nguyễn Hoàng (TH)</b></div></div>
       <div><b>Tin cùng chuyên mục</b><ul><li><a href="/a">Tin tức số một của chuyên mục này</a></li><li><a href="/b">Tin tức số hai của chuyên mục này</a></li></ul></div></div>
       <div><ul>${[1, 2, 3, 4, 5, 6].map((i) => `<li><a href="/t${i}">Một tiêu đề tin khác ở cột bên số ${i}</a></li>`).join('')}</ul></div></div>`,
      '<title>Bài viết dùng thẻ br để xuống dòng - Cổng TTĐT tỉnh Quảng Trị</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/bai-br', { now: NOW });
    expect(article.title).toBe('Bài viết dùng thẻ br để xuống dòng');
    expect(article.publishedAt).toBe('2024-03-05T03:20:00.000Z');
    expect(article.author).toBe('Nguyễn Hoàng');
    expect(article.lead).toBe(P(1));
    expect(article.contentHtml).toBe(`<p>${P(2)}</p><p>${P(3)}</p>`);
  });

  it('removes a related-news box in the middle but keeps the paragraphs after it; a credit becomes sourceName', () => {
    const html = page(
      `<article><h1>Tin có khối liên quan ở giữa bài</h1><p>Thứ Hai, 04/03/2024 - 08:00</p><p>${P(1)}</p><p>${P(2)}</p>
       <div><p><strong>Tin liên quan</strong></p><ul><li><a href="/x1">Bài liên quan thứ nhất về chủ đề này</a></li><li><a href="/x2">Bài liên quan thứ hai về chủ đề này</a></li></ul></div>
       <p>${P(3)}</p><p>${P(4)}</p><p>(Theo TTXVN)</p></article>`,
      '<title>Tin có khối liên quan ở giữa bài</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/bai-lien-quan', { now: NOW });
    expect(article.publishedAt).toBe('2024-03-04T01:00:00.000Z');
    expect(article.sourceName).toBe('TTXVN');
    expect(article.author).toBeNull();
    expect(article.contentHtml).toBe(`<p>${P(2)}</p><p>${P(3)}</p><p>${P(4)}</p>`);
  });
});

describe('trailing author and source lines', () => {
  const body = PARAGRAPHS + PARAGRAPHS.replace(/Sáng nay/g, 'Chiều nay');
  it.each([
    ['<p style="text-align:right"><strong>Tiến Nhất</strong></p>', 'Tiến Nhất', null],
    ['<p>Tác giả: Nguyễn Văn An</p>', 'Nguyễn Văn An', null],
    ['<p><em>Bài, ảnh: Thanh Hải</em></p>', 'Thanh Hải', null],
    ['<p>Tin, ảnh: Hồng Nhung</p>', 'Hồng Nhung', null],
    ['<p><em>Tin và ảnh: Lê Hoa</em></p>', 'Lê Hoa', null],
    ['<p>Minh Hải - Thanh Tâm</p>', 'Minh Hải - Thanh Tâm', null],
    ['<p>Hồng Nhung (tổng hợp)</p>', 'Hồng Nhung', null],
    ['<p>Lê Hoa</p><p>Theo Báo Quảng Trị</p>', 'Lê Hoa', 'Báo Quảng Trị'],
    ['<p>Nguồn: baoquangtri.vn</p>', null, 'baoquangtri.vn'],
    ['<p>Nguồn tin: Văn phòng Sở Tư pháp</p>', null, 'Văn phòng Sở Tư pháp'],
    ['<p style="text-align:right"><b>Lê Minh (Sở TT&amp;TT)</b></p>', 'Lê Minh', null],
    ['<p style="text-align:right"><strong>PV</strong></p>', 'PV', null],
    ['<p><em>(Theo TTXVN)</em></p>', null, 'TTXVN'],
    ['<p>Xin trân trọng cảm ơn!</p>', null, null],
    ['<p>Đây là hoạt động thiết thực.</p>', null, null],
    ['<p>Hội nghị kết thúc trong không khí phấn khởi.</p>', null, null],
    ['<p>Các đại biểu tham dự hội nghị</p>', null, null],
  ])('%s', (tail, author, sourceName) => {
    const html = page(`<h1>Hội nghị sơ kết quý I của tỉnh Quảng Trị</h1>${body}${tail}`, '<title>Hội nghị sơ kết quý I của tỉnh Quảng Trị</title>');
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/so-ket', { now: NOW });
    expect(article.author).toBe(author);
    expect(article.sourceName).toBe(sourceName);
    if (author) expect(article.text).not.toContain(author);
    if (sourceName) expect(article.text).not.toContain(sourceName);
  });
});

describe('pages that are not articles, and short ones that are', () => {
  const chrome = (main: string, title: string): string =>
    page(
      `<div><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a></div><div>${main}</div><div><p>Tin nổi bật</p><ul>${[1, 2, 3, 4, 5]
        .map((i) => `<li><a href="/tin-tuc/bai-${i}-ve-kinh-te">Bài viết số ${i} về phát triển kinh tế xã hội của tỉnh</a></li>`)
        .join('')}</ul></div>`,
      `<title>${title}</title>`,
    );

  it.each([
    [
      'a 404 page served with status 200',
      '<h1>Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p><p><a href="/">Về trang chủ</a></p>',
      '404 - Không tìm thấy trang',
    ],
    ['an English error page', '<h1>Page not found</h1><p>The page you requested could not be found on this server.</p>', 'Error'],
    ['a category page with only its heading', '<h1>Tin tức</h1>', 'Tin tức'],
  ])('rejects %s', (_name, main, title) => {
    expect(() => extractArticle(chrome(main, title), 'https://www.quangtri.gov.vn/x', { now: NOW })).toThrow(ExtractError);
  });

  it('keeps a one-sentence notice with an attached document, the link absolute', () => {
    const main =
      '<h1>Kế hoạch tuyển sinh lớp 10 năm học 2024-2025</h1><p>Sở Giáo dục và Đào tạo ban hành Kế hoạch tuyển sinh lớp 10 năm học 2024-2025. Chi tiết xem tệp đính kèm.</p><p><a href="/documents/20182/1234567/KH.pdf">Tải về</a></p>';
    const article = extractArticle(
      chrome(main, 'Kế hoạch tuyển sinh lớp 10 năm học 2024-2025'),
      'https://sgddt.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/52/1710121200000',
      { now: NOW },
    );
    expect(article.contentHtml).toContain('href="https://sgddt.quangtri.gov.vn/documents/20182/1234567/KH.pdf"');
    expect(article.lead ?? article.text).toContain('Sở Giáo dục và Đào tạo ban hành');
  });
});

describe('boxes of other headlines inside the body, with no label and random classes', () => {
  const P = (n: number): string =>
    `<p>Đoạn văn số ${n} của bài viết, có nội dung dài đủ để được xem là một đoạn văn thật sự, với nhiều thông tin về kinh tế, xã hội của tỉnh.</p>`;
  const box = [
    'Nông dân Cam Lộ thu hoạch hồ tiêu được mùa',
    'Hải Lăng triển khai mô hình lúa hữu cơ',
    'Gio Linh phát triển chăn nuôi an toàn sinh học',
  ]
    .map((t, i) => `<li><a href="/tin-tuc/bai-${i}-44${i}">${t}</a></li>`)
    .join('');
  const html = page(
    `<div class="a1"><a href="/">Trang chủ</a></div><div class="b2"><h1 class="c3">Hội nghị tổng kết ngành nông nghiệp năm 2024</h1><div class="d4">20/12/2024 08:00</div>` +
      `<div class="e5">${P(1)}${P(2)}<div class="x9"><ul>${box}</ul></div>${P(3)}${P(4)}<p>Đọc thêm: <a href="/tin-tuc/bai-4414">Triệu Phong ra quân làm thủy lợi nội đồng</a></p>${P(5)}` +
      `<ul><li><a href="/documents/1/qd-01.pdf">Quyết định số 01/QĐ-UBND về kế hoạch năm 2025</a></li><li><a href="/documents/1/qd-02.pdf">Quyết định số 02/QĐ-UBND về dự toán ngân sách</a></li><li><a href="/documents/1/qd-03.pdf">Quyết định số 03/QĐ-UBND về đầu tư công</a></li></ul></div></div>`,
    '<title>Hội nghị tổng kết ngành nông nghiệp năm 2024 - Cổng TTĐT tỉnh Quảng Trị</title>',
  );

  it('drops the headline box and the "Đọc thêm" line, keeps the paragraphs around them and a list of documents', () => {
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/hoi-nghi-2024', { now: NOW });
    expect(article.contentHtml).not.toContain('hồ tiêu');
    expect(article.contentHtml).not.toContain('Triệu Phong ra quân');
    for (const n of [2, 3, 4, 5]) expect(article.text).toContain(`Đoạn văn số ${n}`);
    expect(article.contentHtml).toContain('href="https://www.quangtri.gov.vn/documents/1/qd-03.pdf"');
  });
});

describe('a hostile page naming elements after Object.prototype members', () => {
  it('extracts the article instead of failing on <constructor>, <valueof> or <tostring>', () => {
    const P = '<p>Đoạn văn của bài viết có nội dung đủ dài, với nhiều thông tin về kinh tế, xã hội của tỉnh Quảng Trị năm nay.</p>';
    const html = page(
      `<div><h1>Tỉnh Quảng Trị tổng kết năm 2024</h1><constructor>${P}<valueof>${P}</valueof></constructor><tostring>${P}</tostring></div>`,
      '<title>Tỉnh Quảng Trị tổng kết năm 2024</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/tong-ket-2024', { now: NOW });
    expect(article.title).toBe('Tỉnh Quảng Trị tổng kết năm 2024');
    expect(article.text).toContain('Đoạn văn của bài viết');
    expect(article.contentHtml).not.toMatch(/constructor|valueof|tostring/);
  });
});

// Feeds print the lead above contentHtml: a standfirst outside the body container must reach them as the lead.
describe('a standfirst printed in the article header', () => {
  const dek = 'Kế hoạch được chuẩn bị nhiều năm biến bãi đường sắt cũ thành công viên rộng mười hai héc-ta dọc bờ sông, có đường xe đạp nối hai bờ.';
  const html = page(
    `<article><header><h1>Hội đồng thông qua quy hoạch công viên ven sông</h1><p class="dek">${dek}</p></header><div class="body">${PARAGRAPHS}</div></article>`,
    '<title>Hội đồng thông qua quy hoạch công viên ven sông</title><meta name="description" content="Hội đồng biểu quyết thông qua quy hoạch công viên ven sông vào thứ Ba.">',
  );
  it('is the lead and opens the text, and contentHtml does not repeat it', () => {
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/cong-vien', { now: NOW });
    expect(article.lead).toBe(dek);
    expect(article.text.startsWith(`${dek}\n\n`)).toBe(true);
    expect(article.contentHtml).not.toContain('bãi đường sắt');
  });
});

describe('a date inside a sentence of the body', () => {
  it('is no date line: the sentence stays in the text', () => {
    const sentence = 'Der nächste Stammtisch findet am Mittwoch, 5. Februar 2020 ab 19 Uhr im Café am Markt statt.';
    const html = page(
      `<h1>Hội nghị sơ kết quý I của tỉnh Quảng Trị</h1><p>${sentence}</p>${PARAGRAPHS}`,
      '<title>Hội nghị sơ kết quý I của tỉnh Quảng Trị</title>',
    );
    const article = extractArticle(html, 'https://www.quangtri.gov.vn/tin-tuc/so-ket', { now: NOW });
    expect(article.text).toContain(sentence);
    expect(article.publishedAt).toBeNull();
  });
});
