import { storedItems } from '/work/main/bench/lib/stores.ts';
import { candidate, seededRng } from '/work/main/bench/lib/synth.ts';
import { bandKeys } from '/work/main/src/store/simhash.ts';
const n = 20000;
const rng = seededRng(5);
const items = await storedItems(Array.from({ length: n }, (_, i) => candidate(i, rng, { paras: 3, wordsEach: 30 })));
const count = (keysOf: (it: typeof items[0]) => string[]) => {
  const m = new Map<string, number>();
  for (const it of items) for (const k of keysOf(it)) m.set(k, (m.get(k) ?? 0) + 1);
  // expected other-items sharing a key, per item
  let shared = 0; for (const it of items) for (const k of keysOf(it)) shared += (m.get(k) ?? 1) - 1;
  return { keys: m.size, sharedPerItem: shared / n, max: Math.max(...m.values()) };
};
console.log('bands', count((it) => bandKeys(it.simhash)), 'uniform expectation', 4 * n / 65536);
console.log('anchors', count((it) => it.anchors));
let ones = new Array(64).fill(0); for (const it of items) { const v = BigInt('0x' + it.simhash); for (let b = 0; b < 64; b++) if ((v >> BigInt(b)) & 1n) ones[b]++; }
console.log('bit bias (fraction of 1s) min/max', Math.min(...ones) / n, Math.max(...ones) / n);
