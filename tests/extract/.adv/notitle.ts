import { readFileSync } from 'node:fs';
import { extractArticle } from '../../../src/extract/article.js';
import { readdirSync } from 'node:fs';
const all = ['liferay','portal','wordpress'].flatMap((d) => readdirSync('tests/fixtures/pages/' + d).filter((x) => x.endsWith('.html')).map((x) => d + '/' + x.replace('.html', '')));
for (const f of all) {
  let html = readFileSync(`tests/fixtures/pages/${f}.html`, 'utf8');
  html = html.replace(/<title>[\s\S]*?<\/title>/, '<title>Cổng thông tin điện tử tỉnh Quảng Trị</title>').replace(/<meta[^>]+(og:title|twitter:title)[^>]*>/g, '').replace(/"headline":"[^"]*",?/g, '');
  const exp = JSON.parse(readFileSync(`tests/fixtures/pages/${f}.expected.json`, 'utf8'));
  try { const a = extractArticle(html, exp.url, { now: new Date('2025-06-01') }); console.log(f, a.title === exp.title ? 'OK' : `WRONG: ${a.title}`, a.trace.find((t) => t.field === 'title')?.rule); }
  catch (e) { console.log(f, 'THROWS', (e as Error).message); }
}
