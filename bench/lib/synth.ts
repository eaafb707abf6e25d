import type { ItemCandidate } from '../../src/core/types.js';

/** Common words of Vietnamese government news; random picks make texts distinct enough that dedup never merges them. */
const WORDS = (
  'tỉnh huyện xã thành phố ủy ban nhân dân hội đồng ban thường vụ tỉnh ủy đảng bộ chi bộ cán bộ đảng viên nhân dân ' +
  'kinh tế xã hội văn hóa giáo dục y tế nông nghiệp công nghiệp thương mại dịch vụ du lịch giao thông xây dựng ' +
  'đầu tư dự án công trình kế hoạch nhiệm vụ giải pháp chỉ đạo triển khai thực hiện tổng kết đánh giá kết quả ' +
  'năm tháng quý hội nghị cuộc họp buổi làm việc đoàn công tác chủ tịch phó chủ tịch giám đốc sở ngành địa phương ' +
  'phát triển bền vững tăng trưởng thu ngân sách vốn tiến độ chất lượng hiệu quả an ninh quốc phòng trật tự ' +
  'biên giới biển đảo rừng môi trường thiên tai bão lũ phòng chống cứu trợ hỗ trợ người nghèo gia đình chính sách ' +
  'học sinh sinh viên trường học bệnh viện trạm y tế vắc xin dịch bệnh gia súc cây trồng lúa sắn cao su hồ tiêu ' +
  'đường bộ cầu cảng khu kinh tế khu công nghiệp doanh nghiệp hợp tác xã lao động việc làm đào tạo nghề ' +
  'chuyển đổi số cải cách hành chính thủ tục dịch vụ công trực tuyến minh bạch trách nhiệm kỷ luật kỷ cương ' +
  'Quảng Trị Đông Hà Vĩnh Linh Gio Linh Triệu Phong Hải Lăng Cam Lộ Hướng Hóa Đakrông Cồn Cỏ Lao Bảo Cửa Việt ' +
  'quyết định nghị quyết chỉ thị công văn thông báo báo cáo đề án chương trình mục tiêu quốc gia nông thôn mới ' +
  'tích cực chủ động kịp thời đồng bộ quyết liệt hiệu lực nâng cao tăng cường đẩy mạnh tập trung ưu tiên'
).split(' ');

const AUTHORS = ['Tiến Nhất', 'Minh Hải', 'Thanh Tâm', 'Hồng Nhung', 'Văn Thành', 'Quang Huy', 'Thu Hà', 'Ngọc Lan'];

export type Rng = () => number;

/** mulberry32: a small seeded PRNG, so every run benchmarks the same texts. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;

export function sentence(rng: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(rng, WORDS));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function paragraphs(rng: Rng, count: number, wordsEach: number): string[] {
  return Array.from({ length: count }, () => sentence(rng, wordsEach));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A stored-item candidate: title, lead and a body of `paras` × `wordsEach` random words. */
export function candidate(i: number, rng: Rng, size: { paras: number; wordsEach: number } = { paras: 6, wordsEach: 40 }): ItemCandidate {
  const title = sentence(rng, 12).slice(0, -1);
  const body = paragraphs(rng, size.paras, size.wordsEach);
  const published = new Date(Date.UTC(2024, 0, 1) + i * 600_000).toISOString();
  return {
    sourceId: 'bench',
    url: `https://portal.example/tin-tuc/bai-${i}-${Math.floor(rng() * 1e9).toString(36)}`,
    title,
    publishedAt: published,
    modifiedAt: null,
    author: pick(rng, AUTHORS),
    sourceName: null,
    lead: body[0] ?? null,
    contentHtml: body.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
    text: body.join('\n'),
    image: null,
    section: 'Tin tức - Sự kiện',
    categories: ['kinh-te'],
    places: [],
  };
}

/** A near copy of a candidate under another URL: a few words replaced, as a re-post with small edits would be. */
export function nearCopy(c: ItemCandidate, rng: Rng, edits = 2): ItemCandidate {
  const words = c.text.split(' ');
  for (let e = 0; e < edits; e++) words[Math.floor(rng() * words.length)] = pick(rng, WORDS);
  const text = words.join(' ');
  return { ...c, url: `${c.url}-ban-sao-${Math.floor(rng() * 1e9).toString(36)}`, text, contentHtml: `<p>${escapeHtml(text)}</p>` };
}

const VN_DAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

function vnDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  // The portal prints Asia/Ho_Chi_Minh wall-clock time.
  const local = new Date(date.getTime() + 7 * 3_600_000);
  return `${VN_DAYS[local.getUTCDay()]}, ${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}`;
}

const PAGE_HEAD = (title: string): string =>
  `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)} - Cổng Thông tin điện tử tỉnh Quảng Trị</title>` +
  `<link rel="stylesheet" href="/themes/portal/css/main.css"></head><body>` +
  `<header class="site-header"><div class="logo"><a href="/">Cổng Thông tin điện tử tỉnh Quảng Trị</a></div>` +
  `<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav></header>`;

const PAGE_FOOT = `<footer class="site-footer"><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Quảng Trị. Địa chỉ: 45 Hùng Vương, Đông Hà, Quảng Trị.</p></footer></body></html>`;

export interface SyntheticArticle {
  path: string;
  title: string;
  html: string;
}

/** An article page in the fixture portal's layout, with distinct random text. */
export function articlePage(i: number, rng: Rng): SyntheticArticle {
  const title = sentence(rng, 12).slice(0, -1);
  const path = `/tin-tuc/bai-viet-so-${i}`;
  const date = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000);
  const body = paragraphs(rng, 6, 45)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
  const html =
    PAGE_HEAD(title) +
    `<main class="container"><nav class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/tin-tuc">Tin tức - Sự kiện</a></nav>` +
    `<article class="post"><h1 class="post-title">${escapeHtml(title)}</h1>` +
    `<div class="post-meta"><span class="date">${vnDate(date)}</span></div>` +
    `<div class="post-content"><p><strong>${escapeHtml(sentence(rng, 30))}</strong></p>\n${body}\n` +
    `<p style="text-align:right"><strong>${pick(rng, AUTHORS)}</strong></p></div></article></main>` +
    PAGE_FOOT;
  return { path, title, html };
}

/** Listing page `page` (1-based) linking the given articles, with a rel=next link unless it is the last. */
export function listingPage(page: number, articles: SyntheticArticle[], last: boolean): string {
  const items = articles
    .map((a) => `<div class="news-item"><h3><a href="${a.path}">${escapeHtml(a.title)}</a></h3><p class="sapo">${escapeHtml(a.title)}...</p></div>`)
    .join('\n');
  const next = last ? '' : `<div class="pagination"><a href="/tin-tuc?page=${page + 1}" rel="next">Trang sau »</a></div>`;
  return `${PAGE_HEAD('Tin tức - Sự kiện')}<main class="container"><section class="news-list"><h1>Tin tức - Sự kiện</h1>\n${items}\n${next}</section></main>${PAGE_FOOT}`;
}

/** Path of listing page n: the first is the section URL itself. */
export function listingPath(page: number): string {
  return page === 1 ? '/tin-tuc' : `/tin-tuc?page=${page}`;
}
