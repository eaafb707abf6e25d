/**
 * The trafilatura evaluation set scored exactly as `../shared/corpus/score.py` scores it: a `with` snippet found in
 * the text is a true positive, a `without` snippet found a false positive; text compared after NFC and white space
 * collapsing, by plain containment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface CorpusEntry {
  url: string;
  file: string;
  with: string[];
  without: string[];
}

export interface PageScore {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  empty: boolean;
}

export interface Totals {
  pages: number;
  empty: number;
  precision: number;
  recall: number;
  accuracy: number;
  f: number;
}

/** Python's `\s` for str (JavaScript's also holds U+FEFF and lacks U+001C–U+001F and U+0085). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'g');
const PY_SPACE_EDGES = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** score.py's norm(): NFC, runs of white space  as one space, trimmed. */
export function norm(text: string | null | undefined): string {
  return (text ?? '').normalize('NFC').replace(PY_SPACE_RUN, ' ').replace(PY_SPACE_EDGES, '');
}

export function readCorpus(root: string): CorpusEntry[] {
  const data = JSON.parse(readFileSync(join(root, 'evaldata.json'), 'utf8')) as Record<string, { file: string; with?: string[]; without?: string[] }>;
  return Object.entries(data).map(([url, v]) => ({ url, file: v.file, with: v.with ?? [], without: v.without ?? [] }));
}

export function readPageBytes(root: string, file: string): Buffer {
  return gunzipSync(readFileSync(join(root, 'pages', `${file}.gz`)));
}

export function scorePage(entry: Pick<CorpusEntry, 'with' | 'without'>, text: string): PageScore {
  const t = norm(text);
  const tp = entry.with.filter((s) => t.includes(norm(s))).length;
  const fp = entry.without.filter((s) => t.includes(norm(s))).length;
  return { tp, fn: entry.with.length - tp, fp, tn: entry.without.length - fp, empty: t === '' };
}

export function totals(scores: PageScore[]): Totals {
  const sum = (k: 'tp' | 'fn' | 'fp' | 'tn') => scores.reduce((a, s) => a + s[k], 0);
  const [tp, fn, fp, tn] = [sum('tp'), sum('fn'), sum('fp'), sum('tn')];
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return {
    pages: scores.length,
    empty: scores.filter((s) => s.empty).length,
    precision,
    recall,
    accuracy: (tp + tn) / (tp + tn + fp + fn),
    f: (2 * precision * recall) / (precision + recall),
  };
}
