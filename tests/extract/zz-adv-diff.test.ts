import { it } from 'vitest';
import * as cheerio from 'cheerio';
import { extractArticle } from '../../src/extract/article.js';
import { articleFixtures } from './fixtures.js';
const NOW = new Date('2025-06-01T00:00:00Z');
const only = (process.env.ONLY ?? '').split(',').filter(Boolean);
it('diff', () => {
  for (const f of articleFixtures()) {
    if (only.length && !only.some((o) => f.name.includes(o))) continue;
    const out: string[] = [];
    let a;
    try { a = extractArticle(f.html, f.expected.url, { now: NOW }); } catch (e) { console.log(`### ${f.name}: THROWS ${(e as Error).message}`); continue; }
    for (const k of ['canonicalUrl','title','publishedAt','modifiedAt','author','sourceName','lead','text','image','section','keywords'] as const) {
      const exp = JSON.stringify((f.expected as any)[k]); const act = JSON.stringify((a as any)[k]);
      if (exp !== act) out.push(`  ${k}:\n    exp ${exp}\n    act ${act}`);
    }
    for (const s of f.expected.containsText) if (!a.contentHtml.includes(s)) out.push(`  missing ${s}`);
    for (const s of f.expected.notContains) if (a.contentHtml.includes(s)) out.push(`  has ${s}`);
    const $ = cheerio.load(a.contentHtml, null, false);
    for (const [k, sel] of [['figures','figure'],['imgs','img'],['figcaptions','figcaption'],['tables','table']] as const) {
      const e = (f.expected as any)[k]; if (e !== undefined && $(sel).length !== e) out.push(`  ${k}: exp ${e} act ${$(sel).length}`);
    }
    if (out.length || process.env.SHOW) console.log(`### ${f.name}\n${out.join('\n')}${process.env.SHOW ? '\n' + a.contentHtml + '\n' + JSON.stringify(a.trace) : ''}`);
  }
});
