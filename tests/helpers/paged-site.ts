import type { ReplayRoute } from '../../src/replay/index.js';

const WORDS = (
  'tỉnh huyện xã nông dân lúa gạo cầu đường biển cảng trường học bệnh viện sông núi rừng điện nước chợ ' +
  'du lịch lễ hội văn hóa thể thao bóng đá y tế dịch bệnh mưa bão lũ lụt đầu tư doanh nghiệp xuất khẩu ' +
  'cà phê hồ tiêu cao su thủy sản tôm cá muối gỗ công nghiệp khu kinh tế giao thông an ninh quốc phòng ' +
  'giáo dục học sinh giáo viên thi cử khoa học công nghệ chuyển đổi số ngân sách thuế đất đai quy hoạch'
).split(' ');

/** Words drawn from a small generator seeded by n: every article reads differently, so none is a near-duplicate. */
function paragraph(n: number, k: number): string {
  let x = (n * 7919 + k * 104729) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < 40; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return `Bài số ${n}, đoạn ${k}: ${out.join(' ')}.`;
}

export function articlePath(n: number): string {
  return `/tin-tuc/bai-viet-so-${n}`;
}

function article(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const body = [0, 1, 2, 3].map((k) => `<p>${paragraph(n, k)}</p>`).join('\n');
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Bài viết số ${n}</title>
<meta property="article:published_time" content="2024-01-${day}T08:00:00+07:00"></head>
<body><main><article><h1>Bài viết số ${n} về ${WORDS[n % WORDS.length]}</h1>
<div class="post-content">${body}</div></article></main></body></html>`;
}

function listing(page: number, pages: number, perPage: number, links: (n: number) => string): string {
  const first = (page - 1) * perPage;
  const items = Array.from({ length: perPage }, (_, i) => `<li><a href="${links(first + i + 1)}">Bài viết số ${first + i + 1}</a></li>`);
  const next = page < pages ? `<a href="/tin-tuc?page=${page + 1}">Trang sau</a>` : '';
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head>
<body><main><h1>Tin tức - Sự kiện</h1><ul class="news">${items.join('')}</ul><div class="paging">${next}</div></main></body></html>`;
}

/**
 * A portal section of `pages` listing pages with `perPage` distinct articles each (listed newest first, so a
 * crawl walks every page on its first run). `links` may point listing entries elsewhere (hostile portals).
 */
export function pagedSite(
  pages: number,
  perPage: number,
  links: (n: number) => string = articlePath,
): { routes: Record<string, ReplayRoute>; total: number } {
  const routes: Record<string, ReplayRoute> = {};
  for (let page = 1; page <= pages; page++) {
    routes[page === 1 ? '/tin-tuc' : `/tin-tuc?page=${page}`] = { body: listing(page, pages, perPage, links) };
  }
  const total = pages * perPage;
  for (let n = 1; n <= total; n++) routes[articlePath(n)] = { body: article(n) };
  return { routes, total };
}
