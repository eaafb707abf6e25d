import { storedItems, writeEmbeddedSnapshot, storeOptions, openBenchStore, tempDir, seedRedisPipelined } from '/work/main/bench/lib/stores.ts';
import { runCleanup } from '/work/main/bench/lib/cleanup.ts';
import { candidate, seededRng } from '/work/main/bench/lib/synth.ts';
const n = Number(process.argv[2] ?? 30000);
const rng = seededRng(5);
let t = performance.now();
const items = await storedItems(Array.from({ length: n }, (_, i) => candidate(i, rng, { paras: 3, wordsEach: 30 })));
console.log('build', n, performance.now() - t); t = performance.now();
const o = storeOptions('embedded', tempDir('x'));
writeEmbeddedSnapshot(o.dataDir, items);
console.log('write', performance.now() - t); t = performance.now();
const s = await openBenchStore(o);
console.log('open', performance.now() - t); t = performance.now();
await s.close();
if (process.argv[3]) { const r = await openBenchStore(storeOptions('redis', '/tmp')); console.log('redis seed', await seedRedisPipelined(r, items)); await r.close(); }
await runCleanup();
