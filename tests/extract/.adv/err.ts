import { readFileSync } from 'node:fs';
import { extractArticle } from '../../../src/extract/article.js';
const side = readFileSync('tests/fixtures/pages/portal/sidebar-first.html', 'utf8');
const pages: Record<string, string> = {
  notfound: side.replace(/<div id="colB">[\s\S]*?<\/div>\n<\/div>\n<div id="foot">/, '<div id="colB"><h1>Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p><p><a href="/">Về trang chủ</a></p></div></div><div id="foot">').replace(/<title>.*<\/title>/, '<title>404 - Không tìm thấy trang</title>'),
  category: side.replace(/<div id="colB">[\s\S]*?<\/div>\n<\/div>\n<div id="foot">/, '<div id="colB"><h1>Tin tức</h1></div></div><div id="foot">').replace(/<title>.*<\/title>/, '<title>Tin tức - Báo điện tử huyện Vĩnh Linh</title>').replace(/<meta name="description"[^>]*>/, ''),
};
for (const [name, html] of Object.entries(pages)) {
  try { const a = extractArticle(html, 'https://vinhlinh.quangtri.gov.vn/x', { now: new Date('2025-06-01') }); console.log(name, 'EXTRACTED', a.title, '|', a.text.slice(0, 120)); }
  catch (e) { console.log(name, 'throws', (e as Error).message); }
}
