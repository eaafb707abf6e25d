import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';

export interface Row {
  section: string;
  metric: string;
  portalfeed: number | string;
  baseline: number | string | null;
  /** portalfeed / baseline, measured in the same run. */
  ratio: number | null;
  goal: string;
  pass: boolean | null;
  unit?: string;
}

const ratioOf = (base: Pick<Row, 'portalfeed' | 'baseline'>): number | null =>
  typeof base.portalfeed === 'number' && typeof base.baseline === 'number' && base.baseline !== 0 ? base.portalfeed / base.baseline : null;

/** A row whose pass/fail is a ratio against a baseline of the same run. */
export function ratioRow(base: Omit<Row, 'ratio' | 'pass' | 'goal'>, goal: { text: string; test: (ratio: number) => boolean }): Row {
  const ratio = ratioOf(base);
  return { ...base, ratio, goal: goal.text, pass: ratio === null ? false : goal.test(ratio) };
}

/** A ratio shown for context, with no goal. */
export function ratioInfoRow(base: Omit<Row, 'ratio' | 'pass' | 'goal'>): Row {
  return { ...base, ratio: ratioOf(base), goal: '', pass: null };
}

/** A row checked against an absolute limit (no baseline). */
export function limitRow(base: Omit<Row, 'ratio' | 'pass' | 'goal' | 'baseline'>, goal: { text: string; test: (value: number) => boolean }): Row {
  const pass = typeof base.portalfeed === 'number' ? goal.test(base.portalfeed) : false;
  return { ...base, baseline: null, ratio: null, goal: goal.text, pass };
}

export function infoRow(base: Omit<Row, 'ratio' | 'pass' | 'goal' | 'baseline'> & { baseline?: Row['baseline'] }): Row {
  return { baseline: null, ...base, ratio: null, goal: '', pass: null };
}

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  memoryGb: number;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
  startedAt: string;
  finishedAt?: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    node: process.version,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageStart: loadavg().map(round2),
    startedAt: new Date().toISOString(),
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function cell(value: number | string | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  const digits = Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function formatTable(rows: Row[]): string {
  const header = ['section', 'metric', 'portalfeed', 'baseline', 'ratio', 'goal', 'result'];
  const body = rows.map((r) => [
    r.section,
    r.metric,
    cell(r.portalfeed, r.unit),
    cell(r.baseline, r.unit),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.goal || '—',
    r.pass === null ? 'info' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

export function writeResults(path: string, data: { machine: Machine; settings: Record<string, unknown>; rows: Row[]; notes: string[] }): void {
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
