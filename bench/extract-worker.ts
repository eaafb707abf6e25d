/**
 * Extraction throughput in a clean process, against the compiled dist/ code (so a --cpu-prof profile names
 * real file:line). Prints one JSON line. Usage: node --import tsx bench/extract-worker.ts [--only portalfeed] [--rounds N]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import * as cheerio from 'cheerio';
import type * as Extract from '../src/extract/index.js';
import type * as Tag from '../src/tag/index.js';
import { ROOT } from './lib/proc.js';

const PAGE_DIRS = ['tests/fixtures/pages', 'tests/fixtures/portal/articles'];

interface Page {
  url: string;
  html: string;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

/** Article pages only: listing pages are not articles (extractArticle rightly refuses them). */
function loadPages(): Page[] {
  const files = PAGE_DIRS.flatMap((dir) => htmlFiles(join(ROOT, dir))).filter((path) => !path.includes('/listings/'));
  return files.map((path) => ({
    url: `https://www.quangtri.gov.vn/${relative(ROOT, path).replace(/\.html$/, '')}`,
    html: readFileSync(path, 'utf8'),
  }));
}

/** ms per page of `fn` over all pages, `passes` times. */
function time(pages: Page[], passes: number, fn: (page: Page) => unknown): number {
  const start = performance.now();
  for (let p = 0; p < passes; p++) for (const page of pages) fn(page);
  return (performance.now() - start) / (passes * pages.length);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, rounds: { type: 'string', default: '15' }, passes: { type: 'string', default: '4' } } });
  const extract = (await import(join(ROOT, 'dist/extract/index.js'))) as typeof Extract;
  const tag = (await import(join(ROOT, 'dist/tag/index.js'))) as typeof Tag;
  const tagger = tag.createTagger(tag.loadTaxonomy(join(ROOT, 'config/categories.yaml')));
  const all = loadPages();
  const now = new Date('2026-01-01T00:00:00Z');
  const portalfeed = (page: Page): unknown => {
    const a = extract.extractArticle(page.html, page.url, { now });
    return tagger.tag({ title: a.title, lead: a.lead, text: a.text, section: a.section });
  };
  const bare = (page: Page): unknown => cheerio.load(page.html);
  // Pages the extractor refuses (e.g. an attachment-only notice) would time an exception, not an extraction.
  const pages = all.filter((page) => {
    try {
      portalfeed(page);
      return true;
    } catch {
      return false;
    }
  });
  const passes = Number(values.passes);
  time(pages, 5, portalfeed);
  time(pages, 5, bare);
  const pf: number[] = [];
  const base: number[] = [];
  // Short rounds, alternating which side goes first, so drift on a busy machine falls on both sides alike.
  for (let round = 0; round < Number(values.rounds); round++) {
    const bareFirst = round % 2 === 1 && values.only !== 'portalfeed';
    if (bareFirst) base.push(time(pages, passes, bare));
    pf.push(time(pages, passes, portalfeed));
    if (!bareFirst && values.only !== 'portalfeed') base.push(time(pages, passes, bare));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  process.stdout.write(`${JSON.stringify({ pages: pages.length, refused: all.length - pages.length, portalfeedMsPerPage: median(pf), bareMsPerPage: median(base) })}\n`);
}

await main();
