/**
 * `npm run bench`: builds dist/, runs every section on 127.0.0.1, prints a table and writes
 * bench/results.json. Options: --only serving,extract,crawl,dedup  --duration SEC  --rounds N  --connections N
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { installCleanupHandlers, runCleanup } from './lib/cleanup.js';
import type { BenchContext } from './lib/context.js';
import { ROOT } from './lib/proc.js';
import { formatTable, machine, writeResults, type Row } from './lib/report.js';
import { runCrawl } from './sections/crawl.js';
import { runDedup } from './sections/dedup.js';
import { runExtraction } from './sections/extraction.js';
import { runServing } from './sections/serving.js';

const SECTIONS: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  serving: runServing,
  extract: runExtraction,
  crawl: runCrawl,
  dedup: runDedup,
};

function build(): void {
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    // tsc still emits on type errors in files being edited elsewhere; the bench only needs dist/cli.js to run.
    process.stderr.write(
      `bench: npm run build reported errors (continuing with what it emitted):\n${(result.stdout + result.stderr).slice(0, 2000)}\n`,
    );
  }
  process.stderr.write(`bench: built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      duration: { type: 'string', default: '3' },
      connections: { type: 'string', default: '30' },
      rounds: { type: 'string', default: '3' },
    },
  });
  installCleanupHandlers();
  const info = machine();
  const notes: string[] = [];
  const ctx: BenchContext = {
    durationSec: Number(values.duration),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    log: (m) => process.stderr.write(`bench: ${m}\n`),
    note: (m) => notes.push(m),
  };
  const wanted = values.only ? values.only.split(',') : Object.keys(SECTIONS);
  const rows: Row[] = [];
  let failed = false;
  try {
    if (wanted.includes('serving') || wanted.includes('extract')) build();
    for (const name of wanted) {
      const section = SECTIONS[name];
      if (!section) throw new Error(`unknown section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
      try {
        rows.push(...(await section(ctx)));
      } catch (err) {
        failed = true;
        notes.push(`section ${name} failed: ${(err as Error).stack ?? String(err)}`);
        ctx.log(`section ${name} failed: ${(err as Error).message}`);
      }
      await runCleanup();
    }
  } finally {
    await runCleanup();
  }
  rows.sort((a, b) => parseInt(a.section, 10) - parseInt(b.section, 10));
  info.loadAverageEnd = loadavg().map((n) => Math.round(n * 100) / 100);
  info.finishedAt = new Date().toISOString();
  const settings = { durationSec: ctx.durationSec, rounds: ctx.rounds, connections: ctx.connections, warmupSec: 1, sections: wanted };
  writeResults(join(ROOT, 'bench/results.json'), { machine: info, settings, rows, notes });
  process.stdout.write(
    `\nportalfeed bench — ${info.cores} cores (${info.cpuModel}), Node ${info.node}, load average ${info.loadAverageStart.join(' ')} → ${info.loadAverageEnd.join(' ')}\n` +
      `autocannon (own process): ${ctx.connections} connections, ${ctx.rounds} interleaved runs of ${ctx.durationSec} s per target after a 1 s warm-up\n\n` +
      `${formatTable(rows)}\n\n${notes.map((n) => `note: ${n}`).join('\n')}\nwrote bench/results.json\n`,
  );
  if (failed) process.exitCode = 1;
}

await main();
