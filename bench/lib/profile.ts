import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './proc.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

export interface HotFunction {
  fn: string;
  where: string;
  selfPct: number;
}

/** Samples that are not JavaScript work: waiting, GC and the VM itself. */
const NOT_CODE = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Module loading is start-up, not the work being profiled. */
const isLoader = (url: string): boolean =>
  url.startsWith('node:internal/modules') || url.includes('node_modules/tsx/') || url.includes('node_modules/esbuild/');

/** Top functions by self time (share of busy samples) in the .cpuprofile files of a directory (node --cpu-prof-dir). */
export function hotFunctions(dir: string, top = 12, by: 'function' | 'file' = 'function'): HotFunction[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (NOT_CODE.has(functionName) || isLoader(url)) continue;
      total += hits;
      const file = url ? relative(ROOT, url.replace(/^file:\/\//, '')) : '(native)';
      const key = by === 'file' ? `\t${file}` : `${functionName || '(anonymous)'}\t${url ? `${file}:${lineNumber + 1}` : ''}`;
      self.set(key, (self.get(key) ?? 0) + hits);
    }
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, hits]) => {
      const [fn = '', where = ''] = key.split('\t');
      return { fn, where, selfPct: total ? (hits / total) * 100 : 0 };
    });
}

export function formatHot(list: HotFunction[]): string {
  return list.map((h) => `${h.selfPct.toFixed(1).padStart(5)} %  ${h.fn ? `${h.fn}  ` : ''}${h.where}`).join('\n');
}
