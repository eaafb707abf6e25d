import { escapeXml } from './xml.js';

/** A run of tokens both texts share, or only the old (`del`) or the new (`ins`) one has. */
export interface DiffOp {
  op: 'eq' | 'del' | 'ins';
  text: string;
}

/**
 * Tokens: paragraph breaks, other white space, words (letters with their marks and digits, kept whole
 * across inner `.`, `,`, `/`, `-`, `:` so `2.600` and `20/1` are one token) and single other characters.
 */
const TOKEN = /\n\s*\n\s*|\s+|[\p{L}\p{M}\p{N}]+(?:[.,/:-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const PARAGRAPH = /^\n\s*\n\s*$/;
const SPACE = /^\s+$/;

export function tokenize(text: string): string[] {
  return text.normalize('NFC').match(TOKEN) ?? [];
}

/** Myers' O(ND) shortest edit script between token lists, after trimming the common head and tail. */
export function diffTokens(a: string[], b: string[]): DiffOp[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const steps: Step[] = [
    ...a.slice(0, head).map((t): Step => ['eq', t]),
    ...myers(midA, midB),
    ...a.slice(a.length - tail).map((t): Step => ['eq', t]),
  ];
  slideToBoundaries(steps);
  const ops: DiffOp[] = [];
  for (const [op, text] of steps) {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else ops.push({ op, text });
  }
  return ops;
}

type Step = [DiffOp['op'], string];

const isBreak = (step: Step | undefined) => step === undefined || PARAGRAPH.test(step[1]);

/**
 * An insertion or deletion between equal tokens can often sit at several places (`gia<ins>. Đoạn
 * mới</ins>.` or `gia.<ins> Đoạn mới.</ins>`); it is moved where it starts or ends at a paragraph
 * break, so whole added or removed paragraphs show as such.
 */
function slideToBoundaries(steps: Step[]): void {
  for (let i = 0; i < steps.length; i++) {
    const op = steps[i]![0];
    if (op === 'eq' || (i > 0 && steps[i - 1]![0] !== 'eq')) continue;
    let j = i;
    while (j < steps.length && steps[j]![0] === op) j++;
    if (j < steps.length && steps[j]![0] !== 'eq') continue;
    const len = j - i;
    const tokens = steps.slice(i, j).map((s) => s[1]);
    // Run [start, start + len) with its tokens rotated: valid while the tokens slid over equal the run's own.
    let left = 0;
    while (i - left - 1 >= 0 && steps[i - left - 1]![0] === 'eq' && steps[i - left - 1]![1] === tokens[(len - 1 - (left % len) + len) % len]) left++;
    let right = 0;
    while (j + right < steps.length && steps[j + right]![0] === 'eq' && steps[j + right]![1] === tokens[right % len]) right++;
    if (left === 0 && right === 0) continue;
    const all = [...steps.slice(i - left, i).map((s) => s[1]), ...tokens, ...steps.slice(j, j + right).map((s) => s[1])];
    const scoreAt = (start: number) => {
      const before = start === 0 ? steps[i - left - 1] : (['eq', all[start - 1]!] as Step);
      return (isBreak(before) || PARAGRAPH.test(all[start]!) ? 2 : 0) + (PARAGRAPH.test(all[start + len - 1]!) ? 1 : 0);
    };
    // Ties keep where the edit script put it.
    let best = left;
    let bestScore = scoreAt(left);
    for (let start = 0; start <= left + right; start++) {
      const score = scoreAt(start);
      if (score > bestScore) {
        bestScore = score;
        best = start;
      }
    }
    all.forEach((token, k) => {
      steps[i - left + k] = [k >= best && k < best + len ? op : 'eq', token];
    });
    i = i - left + best + len - 1;
  }
}

function myers(a: string[], b: string[]): Array<[DiffOp['op'], string]> {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const out: Array<[DiffOp['op'], string]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      out.push(['eq', a[--x]!]);
    }
    if (d === 0) break;
    if (x === prevX) out.push(['ins', b[--y]!]);
    else out.push(['del', a[--x]!]);
  }
  return out.reverse();
}

/**
 * Readable word diff: a lone space (not a paragraph break) between two changes joins them, so
 * `<del>hai mươi</del><ins>ba mươi lăm</ins>` reads as one replacement instead of a patchwork.
 */
export function wordDiff(oldText: string, newText: string): DiffOp[] {
  const ops = diffTokens(tokenize(oldText), tokenize(newText));
  const merged: DiffOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const before = merged[merged.length - 1];
    const next = ops[i + 1];
    if (op.op === 'eq' && SPACE.test(op.text) && !PARAGRAPH.test(op.text) && before && before.op !== 'eq' && next && next.op !== 'eq') {
      appendChange(merged, 'del', op.text);
      appendChange(merged, 'ins', op.text);
      continue;
    }
    if (op.op === 'eq') merged.push({ ...op });
    else appendChange(merged, op.op, op.text);
  }
  return merged;
}

/** Adds to the trailing del/ins group, keeping its del before its ins. */
function appendChange(ops: DiffOp[], op: 'del' | 'ins', text: string): void {
  let start = ops.length;
  while (start > 0 && ops[start - 1]!.op !== 'eq') start--;
  const group = ops.slice(start);
  const del = group.find((o) => o.op === 'del');
  const ins = group.find((o) => o.op === 'ins');
  if (op === 'del') {
    if (del) del.text += text;
    else ops.splice(start, 0, { op: 'del', text });
  } else if (ins) ins.text += text;
  else ops.push({ op: 'ins', text });
}

export function changed(ops: DiffOp[]): boolean {
  return ops.some((o) => o.op !== 'eq');
}

function inlineHtml(ops: DiffOp[]): string {
  return ops
    .map((o) => {
      const text = escapeXml(o.text);
      return o.op === 'eq' ? text : `<${o.op}>${text}</${o.op}>`;
    })
    .join('');
}

/** The title diff as inline HTML. */
export function titleDiffHtml(oldTitle: string, newTitle: string): string {
  return inlineHtml(wordDiff(oldTitle, newTitle));
}

/**
 * The text diff as HTML paragraphs: only paragraphs holding a change are shown, with `…` where
 * unchanged ones were left out.
 */
export function textDiffHtml(oldText: string, newText: string): string {
  const paragraphs: DiffOp[][] = [[]];
  for (const op of wordDiff(oldText, newText)) {
    const pieces = op.text.split(/\n\s*\n\s*/);
    pieces.forEach((piece, i) => {
      if (i > 0) paragraphs.push([]);
      if (piece) paragraphs[paragraphs.length - 1]!.push({ op: op.op, text: piece });
    });
  }
  const out: string[] = [];
  let skipped = false;
  paragraphs.forEach((p) => {
    if (!changed(p)) {
      skipped = true;
      return;
    }
    if (skipped && out.length) out.push('<p>…</p>');
    skipped = false;
    out.push(`<p>${inlineHtml(p)}</p>`);
  });
  return out.join('\n');
}
