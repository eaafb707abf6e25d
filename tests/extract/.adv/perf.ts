import * as cheerio from 'cheerio';
import { extractArticle } from '../../../src/extract/article.js';
import { articleFixtures } from '../fixtures.js';
const fx = articleFixtures();
const N = 40;
const time = (fn: () => void): number => { const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) fn(); return Number(process.hrtime.bigint() - t) / 1e6; };
for (let round = 0; round < 2; round++) {
  let load = 0, ext = 0;
  for (const f of fx) {
    load += time(() => cheerio.load(f.html));
    ext += time(() => { try { extractArticle(f.html, f.expected.url, { now: new Date('2025-06-01') }); } catch {} });
  }
  console.log(`load ${load.toFixed(0)}ms extract ${ext.toFixed(0)}ms ratio ${(ext / load).toFixed(2)}`);
}
for (const f of fx) {
  const l = time(() => cheerio.load(f.html)); const e = time(() => { try { extractArticle(f.html, f.expected.url, { now: new Date('2025-06-01') }); } catch {} });
  if (e / l > 1.6) console.log(f.name, (e / l).toFixed(2));
}
