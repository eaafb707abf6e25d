import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/article.js';
import { articleFixtures } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');

/** Callers other than fetch (a library user, a test) may hand in decomposed text: it reads as the composed page. */
describe('decomposed (NFD) input', () => {
  it.each(articleFixtures().map((f) => [f.name, f] as const))('%s extracts as its NFC form', (_name, { html, expected }) => {
    const composed = extractArticle(html.normalize('NFC'), expected.url, { now: NOW });
    const decomposed = extractArticle(html.normalize('NFD'), expected.url, { now: NOW });
    expect(decomposed).toEqual(composed);
    expect(decomposed.text).toBe(decomposed.text.normalize('NFC'));
  });
});
