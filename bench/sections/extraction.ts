import type { BenchContext } from '../lib/context.js';
import { runNode } from '../lib/proc.js';
import { formatHot, hotFunctions } from '../lib/profile.js';
import { infoRow, ratioRow, type Row } from '../lib/report.js';
import { tempDir } from '../lib/stores.js';

const GOAL = 1.5;

interface WorkerResult {
  pages: number;
  /** Fixture pages extractArticle refuses (not articles); left out of both timings. */
  refused: number;
  portalfeedMsPerPage: number;
  bareMsPerPage: number;
}

/** Section 3: extractArticle + tagger.tag against a bare cheerio.load of the same fixture pages. */
export async function runExtraction(ctx: BenchContext): Promise<Row[]> {
  ctx.log('extraction: fixture pages, portalfeed vs cheerio.load');
  const result = JSON.parse(await runNode(['--import', 'tsx', 'bench/extract-worker.ts'])) as WorkerResult;
  const section = '3 extraction';
  const ratio = result.portalfeedMsPerPage / result.bareMsPerPage;
  if (result.refused) ctx.note(`extraction: ${result.refused} fixture page(s) refused by extractArticle were left out of both timings`);
  const rows = [
    infoRow({ section, metric: `articles/s (extract + tag) over ${result.pages} fixture pages`, portalfeed: 1000 / result.portalfeedMsPerPage, baseline: 1000 / result.bareMsPerPage, unit: '/s' }),
    ratioRow(
      { section, metric: 'time per page vs bare cheerio.load', portalfeed: result.portalfeedMsPerPage, baseline: result.bareMsPerPage, unit: 'ms' },
      { text: `≤ ${GOAL}× bare parse`, test: (r) => r <= GOAL },
    ),
  ];
  if (ratio > GOAL) ctx.note(`extraction is ${ratio.toFixed(1)}× a bare parse; hottest functions (share of busy self time, node --cpu-prof of dist/, module loading excluded):\n${await profile()}`);
  return rows;
}

async function profile(): Promise<string> {
  const dir = tempDir('cpuprof');
  await runNode(['--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', 'bench/extract-worker.ts', '--only', 'portalfeed', '--rounds', '2', '--passes', '25']);
  return `by function:\n${formatHot(hotFunctions(dir, 12))}\nby file:\n${formatHot(hotFunctions(dir, 10, 'file'))}`;
}

