import { readdirSync, readFileSync } from 'node:fs';
import { extractListing } from '../../../src/extract/listing.js';
const PAGES = 'tests/fixtures/pages';
const pages = ['liferay', 'portal', 'wordpress'].flatMap((fam) => readdirSync(`${PAGES}/${fam}`).filter((f) => f.endsWith('.expected.json')).map((f) => {
  const e = JSON.parse(readFileSync(`${PAGES}/${fam}/${f}`, 'utf8')); const u = new URL(e.url); return { path: u.pathname + u.search, title: e.title };
}));
const items = pages.map((g) => `<li><h3><a href="${g.path}">${g.title}</a></h3><p>Tóm tắt bài viết.</p></li>`).join('\n');
const html = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/gioi-thieu">Giới thiệu</a></nav>
<main><h1>Tin tức - Sự kiện</h1><ul class="list">${items}</ul></main>
<footer>Cổng Thông tin điện tử</footer></body></html>`;
const out = extractListing(html, 'http://127.0.0.1:5555/tin-tuc');
const got = new Set(out.links.map((l) => { const u = new URL(l); return u.pathname + u.search; }));
console.log(pages.length, out.links.length, pages.filter((p) => !got.has(p.path)));
