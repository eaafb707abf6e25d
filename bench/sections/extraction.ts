import type { BenchContext } from '../lib/context.js';
import { runNode } from '../lib/proc.js';
import { formatHot, hotFunctions } from '../lib/profile.js';
import { infoRow, ratioInfoRow, ratioRow, type Row } from '../lib/report.js';
import { tempDir } from '../lib/stores.js';

const GOAL = 1.5;
const SIDES = ['portalfeed', 'bare', 'parse'] as const;
type Side = (typeof SIDES)[number];
/** Processes per side; the order rotates, so drift on a busy machine falls on every side alike. */
const REPEATS = 3;

interface WorkerResult {
  side: Side;
  pages: number;
  /** Fixture pages extractArticle refuses (not articles); left out of every timing. */
  refused: number;
  msPerPage: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeSides(): Promise<{ ms: Record<Side, number>; pages: number; refused: number }> {
  const runs: WorkerResult[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (let i = 0; i < SIDES.length; i++) {
      const side = SIDES[(repeat + i) % SIDES.length]!;
      runs.push(JSON.parse(await runNode(['--import', 'tsx', 'bench/extract-worker.ts', '--side', side])) as WorkerResult);
    }
  }
  const ms = Object.fromEntries(SIDES.map((side) => [side, median(runs.filter((r) => r.side === side).map((r) => r.msPerPage))])) as Record<
    Side,
    number
  >;
  return { ms, pages: runs[0]!.pages, refused: runs[0]!.refused };
}

/**
 * Section 3: extractArticle + tagger.tag against a bare cheerio.load of the same fixture pages, each side in
 * processes of its own; the document parser alone (htmlparser2, the tree extraction works on) is shown as the floor.
 */
export async function runExtraction(ctx: BenchContext): Promise<Row[]> {
  ctx.log('extraction: fixture pages, portalfeed vs cheerio.load vs the parser alone');
  const { ms, pages, refused } = await timeSides();
  const section = '3 extraction';
  const ratio = ms.portalfeed / ms.bare;
  if (refused) ctx.note(`extraction: ${refused} fixture page(s) refused by extractArticle were left out of every timing`);
  const rows = [
    infoRow({
      section,
      metric: `articles/s (extract + tag) over ${pages} fixture pages`,
      portalfeed: 1000 / ms.portalfeed,
      baseline: 1000 / ms.bare,
      unit: '/s',
    }),
    ratioRow(
      { section, metric: 'time per page vs bare cheerio.load', portalfeed: ms.portalfeed, baseline: ms.bare, unit: 'ms' },
      { text: `≤ ${GOAL}× bare parse`, test: (r) => r <= GOAL },
    ),
    ratioInfoRow({
      section,
      metric: 'time per page vs the parser alone (htmlparser2 tree, no cheerio API)',
      portalfeed: ms.portalfeed,
      baseline: ms.parse,
      unit: 'ms',
    }),
  ];
  if (ratio > GOAL)
    ctx.note(
      `extraction is ${ratio.toFixed(1)}× a bare parse; hottest functions (share of busy self time, node --cpu-prof of dist/, module loading excluded):\n${await profile()}`,
    );
  return rows;
}

async function profile(): Promise<string> {
  const dir = tempDir('cpuprof');
  await runNode([
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    '--import',
    'tsx',
    'bench/extract-worker.ts',
    '--side',
    'portalfeed',
    '--rounds',
    '2',
    '--passes',
    '25',
  ]);
  return `by function:\n${formatHot(hotFunctions(dir, 12))}\nby file:\n${formatHot(hotFunctions(dir, 10, 'file'))}`;
}
