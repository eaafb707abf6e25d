import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBody } from '../../src/fetch/decode.js';

export const PAGES_DIR = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));

export interface ArticleExpectation {
  url: string;
  canonicalUrl: string | null;
  title: string;
  publishedAt: string | null;
  modifiedAt: string | null;
  author: string | null;
  sourceName: string | null;
  lead: string | null;
  text: string;
  image: string | null;
  section: string | null;
  keywords: string[];
  containsText: string[];
  notContains: string[];
  figures: number;
  imgs: number;
  figcaptions?: number;
  tables?: number;
  charset?: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every `NAME.html` with a `NAME.expected.json` beside it, outside listings/. */
export function articleFixtures(): Array<{ name: string; html: string; expected: ArticleExpectation }> {
  return walk(PAGES_DIR)
    .filter((p) => p.endsWith('.expected.json') && !relative(PAGES_DIR, p).startsWith('listings'))
    .sort()
    .map((p) => {
      const expected = JSON.parse(readFileSync(p, 'utf8')) as ArticleExpectation;
      const bytes = readFileSync(p.replace(/\.expected\.json$/, '.html'));
      return { name: relative(PAGES_DIR, p).replace(/\.expected\.json$/, ''), html: decodeBody(bytes).text, expected };
    });
}

export function readPage(name: string): string {
  return decodeBody(readFileSync(join(PAGES_DIR, name))).text;
}
