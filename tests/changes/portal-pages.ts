/** A small portal whose pages a test rewrites between crawls: one listing and articles built from text. */

export interface PageText {
  title: string;
  paragraphs: string[];
  /** ISO date with offset. */
  published: string;
  /** Extra markup around the first paragraph's words (a markup-only change). */
  styled?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function articleHtml(page: PageText): string {
  const body = page.paragraphs
    .map((p, i) =>
      page.styled && i === 0 ? `<p class="lead-in"><span style="font-size:14px">${esc(p).replace(/ /g, '  ')}</span></p>` : `<p>${esc(p)}</p>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>${esc(page.title)} - Cổng Thông tin điện tử tỉnh Quảng Trị</title>
<meta property="og:title" content="${esc(page.title)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="${page.published}">
</head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức - Sự kiện</a></nav></header>
<main><article class="post">
<h1 class="post-title">${esc(page.title)}</h1>
<div class="post-content">
${body}
</div>
</article></main>
<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Quảng Trị.</p></footer>
</body></html>`;
}

export function listingHtml(links: Array<{ path: string; title: string }>): string {
  const items = links.map((l) => `<li class="news-item"><h3><a href="${l.path}">${esc(l.title)}</a></h3><p>…</p></li>`).join('\n');
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức - Sự kiện</title></head><body>
<main><h1>Tin tức - Sự kiện</h1><ul class="news-list">
${items}
</ul></main></body></html>`;
}
