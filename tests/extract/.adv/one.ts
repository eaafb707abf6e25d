import { extractArticle } from '../../../src/extract/article.js';
import { articleFixtures } from '../../../tests/extract/fixtures.js';
const f = articleFixtures().find((x) => x.name.includes(process.argv[2]!))!;
try { const a = extractArticle(f.html, f.expected.url, { now: new Date('2025-06-01T00:00:00Z') });
console.log(a.contentHtml); console.log(a.trace.map((t) => `${t.field}: ${t.rule} = ${JSON.stringify(t.value)?.slice(0, 100)}`).join('\n')); } catch (e) { console.log(e); }
