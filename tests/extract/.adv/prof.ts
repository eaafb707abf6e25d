import { extractArticle } from '../../../src/extract/article.js';
import { articleFixtures } from '../fixtures.js';
const fx = articleFixtures();
for (let i = 0; i < 60; i++) for (const f of fx) { try { extractArticle(f.html, f.expected.url, { now: new Date('2025-06-01') }); } catch {} }
