/**
 * Time per page of one side, in a process of its own, against the compiled dist/ code (so a --cpu-prof profile
 * names real file:line). One side per process because one side's garbage would fall on the other's time:
 * every tree `cheerio.load` builds stays alive until a full GC. Prints one JSON line.
 * Usage: node --import tsx bench/extract-worker.ts --side portalfeed|bare|parse [--rounds N] [--passes N] [--warmup ms]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import * as cheerio from 'cheerio';
import type * as Extract from '../src/extract/index.js';
import type * as Parse from '../src/extract/parse.js';
import type * as Tag from '../src/tag/index.js';
import { ROOT } from './lib/proc.js';

const PAGE_DIRS = ['tests/fixtures/pages', 'examples/portal/articles'];

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

type Side = (page: Page) => unknown;

async function sides(): Promise<Record<string, Side>> {
  const extract = (await import(join(ROOT, 'dist/extract/index.js'))) as typeof Extract;
  const tag = (await import(join(ROOT, 'dist/tag/index.js'))) as typeof Tag;
  const { parseDocument } = (await import(join(ROOT, 'dist/extract/parse.js'))) as typeof Parse;
  const tagger = tag.createTagger(tag.loadTaxonomy(join(ROOT, 'config/categories.yaml')));
  const now = new Date('2026-01-01T00:00:00Z');
  return {
    portalfeed: (page) => {
      const a = extract.extractArticle(page.html, page.url, { now });
      return tagger.tag({ title: a.title, lead: a.lead, text: a.text, section: a.section });
    },
    bare: (page) => cheerio.load(page.html),
    // The tree alone, as extraction builds it: the floor under any extraction.
    parse: (page) => parseDocument(page.html),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      side: { type: 'string', default: 'portalfeed' },
      rounds: { type: 'string', default: '9' },
      passes: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '3000' },
    },
  });
  const all = await sides();
  const side = all[values.side!];
  if (!side) throw new Error(`--side must be one of ${Object.keys(all).join(', ')}`);
  const loaded = loadPages();
  // Pages the extractor refuses (e.g. an attachment-only notice) would time an exception, not an extraction.
  const pages = loaded.filter((page) => {
    try {
      all.portalfeed!(page);
      return true;
    } catch {
      return false;
    }
  });
  const passes = Number(values.passes);
  // Warm up by the clock: the JIT settles over seconds, not passes (on 2 cores, 5 passes left it 30 % slower).
  for (const start = performance.now(); performance.now() - start < Number(values.warmup);) time(pages, 1, side);
  const rounds = Array.from({ length: Number(values.rounds) }, () => time(pages, passes, side));
  const median = [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ side: values.side, pages: pages.length, refused: loaded.length - pages.length, msPerPage: median })}\n`);
}

await main();
