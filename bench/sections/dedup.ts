import type { BenchContext } from '../lib/context.js';
import { infoRow, ratioRow, type Row } from '../lib/report.js';
import {
  decisionProbe,
  openBenchStore,
  type DecisionProbe,
  seedRedisPipelined,
  storedItems,
  seedEmbeddedBulk,
  storeOptions,
  tempDir,
} from '../lib/stores.js';
import type { ItemCandidate } from '../../src/core/types.js';
import type { OpenStore } from '../../src/store/index.js';
import type { StoredItem } from '../../src/store/decide.js';
import { candidate, nearCopy, seededRng } from '../lib/synth.js';

const SIZES = [10_000, 100_000] as const;
const TEXT = { paras: 3, wordsEach: 30 };
/** Lookups per measurement: half near copies of stored items (must merge), half fresh texts (must be new). */
const LOOKUPS = { embedded: 2000, redis: 400 } as const;
/** Measurements alternate between the two store sizes, round by round; each size reports its median round. */
const ROUNDS = 5;

interface Probe {
  perSec: number;
  /** Stored items the fingerprint index handed back per lookup (each is judged by its signature). */
  candidatesPerLookup: number;
  /** Stored items read whole per lookup. */
  loadsPerLookup: number;
  merged: number;
  fresh: number;
  lookups: number;
}

/** Section 5: the near-duplicate decision against 10k and 100k stored fingerprints, embedded and Redis. */
export async function runDedup(ctx: BenchContext): Promise<Row[]> {
  ctx.log(`dedup: building ${SIZES[1]} stored items`);
  const rng = seededRng(5);
  const candidates = Array.from({ length: SIZES[1] }, (_, i) => candidate(i, rng, TEXT));
  const built = performance.now();
  const items = await storedItems(candidates);
  ctx.log(`dedup: built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const lookups = lookupSet(candidates.slice(0, SIZES[0]), Math.max(LOOKUPS.embedded, LOOKUPS.redis));
  const rows: Row[] = [];
  for (const kind of ['embedded', 'redis'] as const) {
    const seededStores = [];
    for (const size of SIZES) {
      ctx.log(`dedup: ${kind} with ${size} items`);
      const { store, seedMs } = await seeded(kind, items.slice(0, size));
      ctx.log(`dedup: ${kind} seeded in ${(seedMs / 1000).toFixed(1)} s`);
      seededStores.push({ size, seedMs, store });
    }
    const probes = await interleaved(
      seededStores.map((s) => s.store),
      lookups.slice(0, LOOKUPS[kind]),
    );
    for (const { store } of seededStores) await store.close();
    rows.push(
      ...dedupRows(
        ctx,
        kind,
        seededStores.map(({ size, seedMs }, i) => ({ size, seedMs, probe: probes[i] as Probe })),
      ),
    );
  }
  return rows;
}

/** Rounds alternate between the stores so a busy machine slows both alike; the median round of each counts. */
async function interleaved(stores: OpenStore[], lookups: Array<{ c: ItemCandidate; near: boolean }>): Promise<Probe[]> {
  const probes = stores.map((store) => decisionProbe(store));
  for (const p of probes) for (const { c } of lookups.slice(0, 100)) await p.decide(c); // warm-up
  const rounds: Probe[][] = probes.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, p] of probes.entries()) rounds[i]?.push(await probe(p, lookups));
  }
  return rounds.map((r) => r.sort((a, b) => a.perSec - b.perSec)[Math.floor(r.length / 2)] as Probe);
}

/** seedMs: Redis pipelined writes, or for the embedded store one SQLite transaction of the same writes. */
async function seeded(kind: 'embedded' | 'redis', items: StoredItem[]): Promise<{ store: OpenStore; seedMs: number }> {
  const options = storeOptions(kind, tempDir(`dedup-${kind}`));
  const store = await openBenchStore(options);
  const seedMs = kind === 'redis' ? await seedRedisPipelined(store, items) : seedEmbeddedBulk(store, items);
  const stats = await store.stats();
  if (stats.items !== items.length) throw new Error(`${kind} store holds ${stats.items} items, expected ${items.length}`);
  return { store, seedMs };
}

function lookupSet(stored: ItemCandidate[], count: number): Array<{ c: ItemCandidate; near: boolean }> {
  const rng = seededRng(55);
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { c: nearCopy(stored[Math.floor(rng() * stored.length)] as ItemCandidate, rng), near: true }
      : { c: candidate(1_000_000 + i, rng, TEXT), near: false },
  );
}

async function probe(probe: DecisionProbe, lookups: Array<{ c: ItemCandidate; near: boolean }>): Promise<Probe> {
  probe.candidates = 0;
  probe.loads = 0;
  let merged = 0;
  let fresh = 0;
  const start = performance.now();
  for (const { c, near } of lookups) {
    const status = await probe.decide(c);
    if (near && status === 'merged') merged++;
    if (!near && status === 'new') fresh++;
  }
  const perSec = (lookups.length / (performance.now() - start)) * 1000;
  return {
    perSec,
    candidatesPerLookup: probe.candidates / lookups.length,
    loadsPerLookup: probe.loads / lookups.length,
    merged,
    fresh,
    lookups: lookups.length,
  };
}

function dedupRows(ctx: BenchContext, kind: string, results: Array<{ size: number; seedMs: number; probe: Probe }>): Row[] {
  const section = `5 dedup (${kind})`;
  const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
  const rows: Row[] = results.map((r) =>
    infoRow({
      section,
      metric: kind === 'redis' ? `seed ${r.size} items (pipelined writeItem)` : `seed ${r.size} items (writeItem, one transaction)`,
      portalfeed: r.seedMs / 1000,
      unit: 's',
    }),
  );
  for (const r of results) {
    const half = r.probe.lookups / 2;
    const found = `${r.probe.merged}/${half} near copies merged, ${r.probe.fresh}/${half} fresh texts new`;
    if (r.probe.merged < half || r.probe.fresh < half) ctx.note(`dedup ${kind} ${r.size}: ${found}`);
    rows.push(infoRow({ section, metric: `lookup hit rate at ${r.size}`, portalfeed: found }));
    rows.push(infoRow({ section, metric: `index candidates per lookup at ${r.size}`, portalfeed: r.probe.candidatesPerLookup }));
    rows.push(infoRow({ section, metric: `items read whole per lookup at ${r.size}`, portalfeed: r.probe.loadsPerLookup }));
  }
  rows.push(
    ratioRow(
      { section, metric: 'decisions/s, 100k vs 10k stored', portalfeed: large.probe.perSec, baseline: small.probe.perSec, unit: '/s' },
      { text: '≥ 0.8× (flat)', test: (r) => r >= 0.8 },
    ),
  );
  return rows;
}
