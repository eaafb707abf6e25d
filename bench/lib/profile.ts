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

/** Top functions by self time in the .cpuprofile files of a directory (node --cpu-prof --cpu-prof-dir). */
export function hotFunctions(dir: string, top = 12): HotFunction[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      total += hits;
      const { functionName, url, lineNumber } = node.callFrame;
      if (!url && ['(idle)', '(program)', '(garbage collector)', '(root)'].includes(functionName) === false && !functionName) continue;
      const where = url ? `${relative(ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'}\t${where}`;
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
  return list.map((h) => `${h.selfPct.toFixed(1).padStart(5)} %  ${h.fn}  ${h.where}`).join('\n');
}
