import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { extractArticle } from '../../src/extract/article.js';
import { articleFixtures } from './fixtures.js';

/**
 * Extraction parses the page once and works on that DOM, so it should cost little more than the parse.
 * The budget is ~1.5x a bare cheerio.load; the assertion allows headroom for noisy shared machines and
 * compares the best of several rounds, which is what the code costs when the machine is not busy elsewhere.
 */
describe('extraction cost', () => {
  const pages = articleFixtures().filter((f) => ['liferay/seed', 'portal/json-ld-graph', 'wordpress/entry'].includes(f.name));

  it.each(pages.map((p) => [p.name, p] as const))('%s costs at most ~3x a bare cheerio.load (target ~1.5x)', (_name, { html, expected }) => {
    for (let i = 0; i < 20; i++) {
      cheerio.load(html);
      extractArticle(html, expected.url);
    }
    const ratios: number[] = [];
    for (let round = 0; round < 9; round++) {
      let t = performance.now();
      for (let i = 0; i < 8; i++) cheerio.load(html);
      const parse = performance.now() - t;
      t = performance.now();
      for (let i = 0; i < 8; i++) extractArticle(html, expected.url);
      ratios.push((performance.now() - t) / parse);
    }
    expect(Math.min(...ratios)).toBeLessThan(3);
  });
});
