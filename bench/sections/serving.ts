import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { rawGet, waitFor200 } from '../lib/http.js';
import { interleavedLoad, type LoadResult } from '../lib/load.js';
import { spawnNode, ROOT, vmRssMb, type Child } from '../lib/proc.js';
import { infoRow, limitRow, ratioRow, type Row } from '../lib/report.js';
import { openBenchStore, seedByUpsert, storeOptions, tempDir } from '../lib/stores.js';
import { seededRng } from '../lib/synth.js';

/** The requests measured; the 304 case gets the ETag of the 200 answer at capture time. */
const CASES = [
  { name: 'GET /feed.xml 200 gzip', path: '/feed.xml', status: 200, goal: 0.8 },
  { name: 'GET /feed.xml 304', path: '/feed.xml', status: 304, goal: 0.9 },
  { name: 'GET /atom.xml 200 gzip', path: '/atom.xml', status: 200, goal: 0.8 },
  { name: 'GET /feed.json 200 gzip', path: '/feed.json', status: 200, goal: 0.8 },
] as const;

type Case = (typeof CASES)[number];
/** Hop-by-hop and per-response headers the bare server must not replay. */
const DROP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Target {
  base: string;
  etag: string;
  gzipBytes: Map<string, number>;
}

interface SizeRun {
  size: number;
  seedMs: number;
  startupMs: number;
  /** VmRSS right after the first feed was served, and after all load runs. */
  idleRssMb: number | null;
  rssMb: number | null;
  results: Map<string, { pf: LoadResult; bare: LoadResult }>;
  gzipBytes: Map<string, number>;
}

/** Sections 1, 2 and 6: one `portalfeed serve` process per store size, each against a bare server with its bytes. */
export async function runServing(ctx: BenchContext): Promise<Row[]> {
  const small = await measureSize(ctx, 10);
  const large = await measureSize(ctx, 10_000);
  return [...servingRows(ctx, large), ...storeSizeRows(ctx, small, large), ...memoryRows(small, large)];
}

async function measureSize(ctx: BenchContext, size: number): Promise<SizeRun> {
  ctx.log(`serving: seeding ${size} items into an embedded store`);
  const dataDir = tempDir(`serve-${size}`);
  const store = await openBenchStore(storeOptions('embedded', dataDir));
  const seed = await seedByUpsert(store, 0, size, seededRng(size));
  await store.close();
  const serve = spawnNode(['dist/cli.js', 'serve', '--no-initial-crawl', '--config', writeServeConfig(dataDir)], {
    LOG_LEVEL: 'info',
    PORT: undefined,
    REDIS_URL: undefined,
    DATA_DIR: undefined,
    PUBLIC_URL: undefined,
    ADMIN_TOKEN: undefined,
  });
  try {
    const port = Number((await serve.waitFor(/"port":(\d+)/))[1]);
    const base = `http://127.0.0.1:${port}`;
    const startupMs = (await waitFor200(`${base}/feed.xml`)) - serve.startedAt;
    const idleRssMb = vmRssMb(serve.pid);
    const target = await capture(base, dataDir);
    const bare = await startBare(join(dataDir, 'captured.json'), target);
    try {
      const results = new Map<string, { pf: LoadResult; bare: LoadResult }>();
      for (const c of CASES) {
        ctx.log(`serving ${size} items: ${c.name}`);
        const [pf, baseline] = await interleavedLoad([`${base}${c.path}`, `${bare.base}${c.path}`], loadOptions(ctx, c, target.etag), ctx.rounds);
        results.set(c.name, { pf: pf as LoadResult, bare: baseline as LoadResult });
      }
      return { size, seedMs: seed.ms, startupMs, idleRssMb, rssMb: vmRssMb(serve.pid), results, gzipBytes: target.gzipBytes };
    } finally {
      await bare.child.stop();
    }
  } finally {
    await serve.stop();
  }
}

function loadOptions(ctx: BenchContext, c: Case, etag: string) {
  const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
  if (c.status === 304) headers['if-none-match'] = etag;
  return { headers, connections: ctx.connections, durationSec: ctx.durationSec, expectStatus: c.status };
}

function writeServeConfig(dataDir: string): string {
  const config = {
    server: { port: 0, host: '127.0.0.1', publicUrl: 'http://127.0.0.1' },
    store: { redisUrl: null, dataDir },
    feed: { title: 'Tin tức tỉnh Quảng Trị', description: 'Benchmark', language: 'vi', maxItems: 50 },
    tagging: { taxonomyFile: join(ROOT, 'config/categories.yaml') },
    log: { level: 'info' },
    sources: [
      {
        id: 'bench',
        name: 'Cổng Thông tin điện tử tỉnh Quảng Trị',
        baseUrl: 'http://127.0.0.1:9',
        schedule: '0 0 1 1 *',
        sections: [{ id: 'tin-tuc', name: 'Tin tức - Sự kiện', url: '/tin-tuc' }],
      },
    ],
  };
  const path = join(dataDir, 'bench.yaml');
  writeFileSync(path, JSON.stringify(config, null, 2)); // JSON is YAML
  return path;
}

/** Captures the exact bytes and headers portalfeed answers, for the bare server to replay. */
async function capture(base: string, dir: string): Promise<Target> {
  const captured = [];
  const gzipBytes = new Map<string, number>();
  let feedEtag = '';
  for (const path of [...new Set(CASES.map((c) => c.path))]) {
    const full = await rawGet(`${base}${path}`, { 'accept-encoding': 'gzip' });
    const etag = full.headers.etag ?? '';
    const notModified = await rawGet(`${base}${path}`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    if (full.status !== 200 || full.headers['content-encoding'] !== 'gzip' || notModified.status !== 304) {
      throw new Error(
        `unexpected answers for ${path}: ${full.status} (${full.headers['content-encoding'] ?? 'identity'}), conditional ${notModified.status}`,
      );
    }
    if (path === '/feed.xml') feedEtag = etag;
    gzipBytes.set(path, full.body.length);
    captured.push({ path, etag, headers200: keep(full.headers), headers304: keep(notModified.headers), body: full.body.toString('base64') });
  }
  writeFileSync(join(dir, 'captured.json'), JSON.stringify(captured));
  return { base, etag: feedEtag, gzipBytes };
}

function keep(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !DROP_HEADERS.has(k)));
}

async function startBare(file: string, target: Target): Promise<{ child: Child; base: string }> {
  const child = spawnNode(['--import', 'tsx', 'bench/bare-server.ts', file]);
  const port = Number((await child.waitFor(/listening (\d+)/))[1]);
  const base = `http://127.0.0.1:${port}`;
  const check = await rawGet(`${base}/feed.xml`, { 'accept-encoding': 'gzip', 'if-none-match': target.etag });
  if (check.status !== 304) throw new Error(`bare server answered ${check.status} to a conditional GET`);
  return { child, base };
}

function clean(r: LoadResult): boolean {
  return r.unexpected === 0 && r.errors === 0 && r.total > 0;
}

function servingRows(ctx: BenchContext, run: SizeRun): Row[] {
  return CASES.flatMap((c) => {
    const { pf, bare } = run.results.get(c.name) as { pf: LoadResult; bare: LoadResult };
    if (!clean(pf) || !clean(bare))
      ctx.note(`serving ${c.name}: unexpected statuses or errors (portalfeed ${pf.unexpected}/${pf.errors}, bare ${bare.unexpected}/${bare.errors})`);
    const rps = ratioRow(
      { section: '1 serving (10k items)', metric: `${c.name} req/s`, portalfeed: pf.rps, baseline: bare.rps, unit: 'req/s' },
      { text: `≥ ${c.goal}× bare`, test: (r) => r >= c.goal && clean(pf) && clean(bare) },
    );
    const p99: Row = {
      ...infoRow({ section: '1 serving (10k items)', metric: `${c.name} p99`, portalfeed: pf.p99Ms, baseline: bare.p99Ms, unit: 'ms' }),
      ratio: pf.p99Ms / Math.max(bare.p99Ms, 1),
    };
    return [rps, p99];
  });
}

function storeSizeRows(ctx: BenchContext, small: SizeRun, large: SizeRun): Row[] {
  const section = '2 store size (10 vs 10k)';
  const rows: Row[] = [
    infoRow({ section, metric: 'seed 10,000 items via embedded upsert', portalfeed: (large.size / large.seedMs) * 1000, unit: 'items/s' }),
    infoRow({
      section,
      metric: 'GET /feed.xml gzip body bytes',
      portalfeed: large.gzipBytes.get('/feed.xml') ?? 0,
      baseline: small.gzipBytes.get('/feed.xml') ?? 0,
      unit: 'B',
    }),
  ];
  for (const c of CASES) {
    const a = large.results.get(c.name) as { pf: LoadResult; bare: LoadResult };
    const b = small.results.get(c.name) as { pf: LoadResult; bare: LoadResult };
    rows.push({
      ...infoRow({ section, metric: `${c.name} req/s, 10k vs 10 items (raw)`, portalfeed: a.pf.rps, baseline: b.pf.rps, unit: 'req/s' }),
      ratio: a.pf.rps / b.pf.rps,
    });
    rows.push(
      ratioRow(
        { section, metric: `${c.name} efficiency (portalfeed/bare), 10k vs 10`, portalfeed: a.pf.rps / a.bare.rps, baseline: b.pf.rps / b.bare.rps },
        { text: '≥ 0.9× (within 10 %)', test: (r) => r >= 0.9 },
      ),
    );
  }
  if (large.seedMs / large.size > 2) ctx.note(`embedded upsert is slow: ${(large.seedMs / large.size).toFixed(2)} ms per item while seeding 10,000`);
  return rows;
}

function memoryRows(small: SizeRun, large: SizeRun): Row[] {
  const section = '6 memory/start-up';
  return [
    limitRow(
      { section, metric: 'serve RSS with 10k items after load', portalfeed: large.rssMb ?? 'n/a', unit: 'MB' },
      { text: '< 150 MB', test: (v) => v < 150 },
    ),
    infoRow({ section, metric: 'serve RSS with 10k items, first feed served', portalfeed: large.idleRssMb ?? 'n/a', unit: 'MB' }),
    infoRow({ section, metric: 'serve RSS with 10 items after load', portalfeed: small.rssMb ?? 'n/a', unit: 'MB' }),
    infoRow({ section, metric: 'serve RSS with 10 items, first feed served', portalfeed: small.idleRssMb ?? 'n/a', unit: 'MB' }),
    limitRow(
      { section, metric: 'start → first feed served, 10k items', portalfeed: large.startupMs, unit: 'ms' },
      { text: '< 1000 ms', test: (v) => v < 1000 },
    ),
    infoRow({ section, metric: 'start → first feed served, 10 items', portalfeed: small.startupMs, unit: 'ms' }),
  ];
}
