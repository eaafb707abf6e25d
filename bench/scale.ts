// npm run bench:scale — one process crawling 30, 100 and 300 synthetic portal hosts on loopback addresses
// (127.0.0.2, 127.0.0.3, …, one port each), then three replicas on one Redis. Run it with `nice -n 10`.
// Two profiles by default (SCALE_PROFILES="production,stress"): `production` crawls politely as the product's defaults
// do (http.delayMs 500) with crawl.concurrency sized to the largest farm, as an operator of that many portals sets it;
// `stress` keeps the default crawl.concurrency (16) and waits only SCALE_DELAY_MS between requests, so the crawl is
// CPU-bound. SCALE_POLITENESS_MS and SCALE_CONCURRENCY, when set, replace both with one `custom` profile.
// Env: SCALE_SIZES (default "30,100,300"), SCALE_ARTICLES (30), SCALE_DELAY_MS (20, the farm's answer time per page),
// SCALE_LOAD_S (5), REDIS_URL,
// SCALE_SERVE_NODE_ARGS (node flags for the measured serve, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// SCALE_STORE_THREAD=0 (the measured serve keeps the embedded store on its serving thread: store.thread false),
// serve gets the Dockerfile's NODE_OPTIONS and MALLOC_ARENA_MAX. SCALE_REPLICAS=0 to skip the three-replica check (it crawls the smallest size again, three times over).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { dump } from 'js-yaml';
import { Redis } from 'ioredis';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.SCALE_SIZES ?? '30,100,300').split(',').map(Number);
const ARTICLES = Number(process.env.SCALE_ARTICLES ?? 30);
const DELAY_MS = Number(process.env.SCALE_DELAY_MS ?? 20);
const LOAD_S = Number(process.env.SCALE_LOAD_S ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERVE_NODE_ARGS = (process.env.SCALE_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const REPLICAS = process.env.SCALE_REPLICAS !== '0';
const STORE_THREAD = process.env.SCALE_STORE_THREAD !== '0';
const TOKEN = 'bench-scale-admin-token-0123456789';
/** serve runs with the container image's NODE_OPTIONS and MALLOC_ARENA_MAX (the Dockerfile's ENV), as in production. */
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const IMAGE_NODE_OPTIONS = /NODE_OPTIONS="([^"]*)"/.exec(DOCKERFILE)?.[1] ?? '';
const IMAGE_MALLOC_ARENA_MAX = /MALLOC_ARENA_MAX=(\d+)/.exec(DOCKERFILE)?.[1];
/** How the measured serve crawls the farm: its sources' http.delayMs and its crawl.concurrency. */
interface Profile {
  name: string;
  politenessMs: number;
  concurrency: number;
  why: string;
}
const PRODUCT_DELAY_MS = 500; // the config schema's default http.delayMs
const PRODUCT_CONCURRENCY = 16; // the config schema's default crawl.concurrency
const PROFILES: Record<string, Profile> = {
  production: {
    name: 'production',
    politenessMs: PRODUCT_DELAY_MS,
    concurrency: Math.max(...SIZES),
    why: 'the default politeness, crawl.concurrency sized to the largest farm',
  },
  stress: {
    name: 'stress',
    politenessMs: DELAY_MS,
    concurrency: PRODUCT_CONCURRENCY,
    why: 'the default crawl.concurrency, politeness cut to the farm delay: CPU-bound',
  },
};
const custom = process.env.SCALE_POLITENESS_MS !== undefined || process.env.SCALE_CONCURRENCY !== undefined;
const RUN_PROFILES: Profile[] = custom
  ? [
      {
        name: 'custom',
        politenessMs: Number(process.env.SCALE_POLITENESS_MS ?? DELAY_MS),
        concurrency: Number(process.env.SCALE_CONCURRENCY ?? PRODUCT_CONCURRENCY),
        why: 'SCALE_POLITENESS_MS / SCALE_CONCURRENCY',
      },
    ]
  : (process.env.SCALE_PROFILES ?? 'production,stress').split(',').map((name) => {
      const profile = PROFILES[name];
      if (!profile) throw new Error(`SCALE_PROFILES: unknown profile "${name}" (known: ${Object.keys(PROFILES).join(', ')})`);
      return profile;
    });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type FarmStats = Record<'robots' | 'listing200' | 'listing304' | 'article200' | 'article304' | 'other', number>;
interface Farm {
  urls: string[];
  stats(): Promise<FarmStats>;
  reset(): void;
  stop(): void;
}

async function startFarm(hosts: number): Promise<Farm> {
  const child = fork(join(ROOT, 'bench/scale-farm.ts'), [String(hosts), String(ARTICLES), String(DELAY_MS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const urls = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve((JSON.parse(text.split('\n')[0] as string) as { urls: string[] }).urls);
    });
    child.once('exit', (code) => reject(new Error(`farm exited (${code})`)));
  });
  return {
    urls,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { stats: FarmStats }).stats));
        child.send('stats');
      }),
    reset: () => child.send('reset'),
    stop: () => child.kill('SIGKILL'),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

interface Serve {
  url: string;
  child: ChildProcess;
  rssMb(): number;
  runs(): Promise<number>;
  stop(): Promise<void>;
}

async function startServe(farm: Farm, profile: Profile, store: Record<string, unknown>, dir: string, name: string): Promise<Serve> {
  const port = await freePort();
  const config = {
    server: { port, host: '127.0.0.1', publicUrl: `http://127.0.0.1:${port}`, adminToken: TOKEN },
    store,
    log: { level: 'warn' },
    crawl: { concurrency: profile.concurrency },
    sources: farm.urls.map((baseUrl, i) => ({
      id: `cong-${i}`,
      name: `Cổng ${i}`,
      baseUrl,
      schedule: '0 0 1 1 *',
      sections: [{ id: 'tin-tuc', name: 'Tin tức', url: '/tin-tuc' }],
      linkPattern: '^/tin-tuc/bai-\\d+$',
      maxPages: 1,
      http: { delayMs: profile.politenessMs, concurrency: 2, retries: 1, timeoutMs: 60_000 },
    })),
  };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, dump(config));
  const child = spawn(process.execPath, [...SERVE_NODE_ARGS, join(ROOT, 'dist/cli.js'), 'serve', '--config', file], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      REDIS_URL: '',
      PORT: '',
      PUBLIC_URL: '',
      DATA_DIR: '',
      LOG_LEVEL: '',
      NODE_OPTIONS: IMAGE_NODE_OPTIONS,
      MALLOC_ARENA_MAX: IMAGE_MALLOC_ARENA_MAX,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(50);
  }
  return {
    url,
    child,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    runs: async () => {
      // A scrape can be refused while the process is saturated; the next poll asks again.
      const text = await fetch(`${url}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      return [...text.matchAll(/^portalfeed_crawl_runs_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/**
 * Waits until the serves have finished `atLeast` runs. While `fetching` says the farm still has pages to serve, the
 * farm (its own process) is asked every 100 ms and serve's /metrics only every 2 s: a scrape of 300 sources' series
 * costs the measured event loop several ms, at 5 Hz enough to show in the p99 measured meanwhile.
 */
async function waitRuns(serves: Serve[], atLeast: number, onSample?: () => void, fetching?: () => Promise<boolean>): Promise<void> {
  for (let polls = 0; ; polls++) {
    if (fetching && polls % 20 !== 0 && (await fetching())) {
      onSample?.();
      await sleep(100);
      continue;
    }
    const counts = await Promise.all(serves.map((s) => s.runs()));
    onSample?.();
    if (counts.reduce((a, b) => a + b, 0) >= atLeast) return;
    await sleep(fetching ? 100 : 200);
  }
}

async function p99(url: string): Promise<number> {
  const result = await autocannon({ url: `${url}/feed.xml?limit=10`, connections: 32, duration: LOAD_S });
  return result.latency.p99;
}

interface Row {
  sources: number;
  firstS: number;
  recrawlS: number;
  requests: number;
  recrawl: FarmStats;
  rssMb: number;
  p99Busy?: number;
  p99Rest?: number;
}

async function measure(profile: Profile, size: number, withLoad: boolean): Promise<Row> {
  const farm = await startFarm(size);
  const dir = mkdtempSync(join(tmpdir(), 'pf-scale-'));
  const serve = await startServe(farm, profile, { dataDir: join(dir, 'data'), thread: STORE_THREAD }, dir, 'serve');
  try {
    const started = performance.now();
    let peak = 0;
    const sample = () => (peak = Math.max(peak, serve.rssMb()));
    const busy = withLoad ? p99(serve.url) : Promise.resolve(undefined);
    await waitRuns([serve], size, sample, async () => (await farm.stats()).article200 < size * ARTICLES);
    const firstS = (performance.now() - started) / 1000;
    const p99Busy = await busy;
    const first = await farm.stats();
    farm.reset();
    const again = performance.now();
    await fetch(`${serve.url}/admin/crawl`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    await waitRuns([serve], 2 * size, sample, async () => {
      const s = await farm.stats();
      return s.listing200 + s.listing304 < size;
    });
    const recrawlS = (performance.now() - again) / 1000;
    const recrawl = await farm.stats();
    await sleep(6_000); // the publisher's poll renders the new items
    const p99Rest = withLoad ? await p99(serve.url) : undefined;
    const requests = Object.values(first).reduce((a, b) => a + b, 0);
    return { sources: size, firstS, recrawlS, requests, recrawl, rssMb: Math.max(peak, serve.rssMb()), p99Busy, p99Rest };
  } finally {
    await serve.stop();
    farm.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replicas(profile: Profile, size: number): Promise<{ articles: number; fetched: number }> {
  const farm = await startFarm(size);
  const dir = mkdtempSync(join(tmpdir(), 'pf-scale-'));
  const keyPrefix = `{pf-scale-${randomUUID().slice(0, 8)}}:`;
  const serves = await Promise.all([0, 1, 2].map((i) => startServe(farm, profile, { redisUrl: REDIS_URL, keyPrefix }, dir, `replica-${i}`)));
  try {
    await waitRuns(serves, 3 * size);
    return { articles: size * ARTICLES, fetched: (await farm.stats()).article200 };
  } finally {
    await Promise.all(serves.map((s) => s.stop()));
    farm.stop();
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 2000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

const largest = Math.max(...SIZES);
const f = (n: number | undefined, d = 1) => (n === undefined ? '–' : n.toFixed(d));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function report(profile: Profile, rows: Row[]): void {
  console.log(
    `\nportalfeed bench:scale, profile ${profile.name} (${profile.why}): ${ARTICLES} articles per host, ${DELAY_MS} ms per page, http.delayMs ${profile.politenessMs}, crawl.concurrency ${profile.concurrency}${STORE_THREAD ? '' : ', store.thread false'}\n`,
  );
  console.log('| sources | first crawl (s) | recrawl (s) | requests (first) | recrawl 200s / 304s / robots | serve RSS (MB) |');
  console.log('| ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.sources} | ${f(r.firstS)} | ${f(r.recrawlS)} | ${r.requests} | ${r.recrawl.listing200 + r.recrawl.article200} / ${r.recrawl.listing304 + r.recrawl.article304} / ${r.recrawl.robots} | ${f(r.rssMb, 0)} |`,
    );
  }
  const small = rows[0] as Row;
  const big = rows.at(-1) as Row;
  const timeRatio = big.firstS / small.firstS;
  const sizeRatio = big.sources / small.sources;
  // Sources beyond crawl.concurrency wait for a slot, so each slot crawls ceil(n / concurrency) sources in a row.
  const slotBound = Math.ceil(big.sources / profile.concurrency) / Math.ceil(small.sources / profile.concurrency);
  console.log('');
  console.log(
    `- ${sizeRatio}× the sources in ${f(timeRatio, 2)}× the time (goal ≤ ${f(sizeRatio * 0.4, 1)}×): ${verdict(timeRatio <= sizeRatio * 0.4)}` +
      (slotBound > sizeRatio * 0.4
        ? ` (at crawl.concurrency ${profile.concurrency} a slot crawls ${f(slotBound, 1)}× as many sources in a row)`
        : ''),
  );
  console.log(
    `- RSS at ${big.sources} sources (${big.sources * ARTICLES} items): ${f(big.rssMb, 0)} MB (goal < 300 MB): ${verdict(big.rssMb < 300)}`,
  );
  const only304 = rows.every((r) => r.recrawl.listing200 + r.recrawl.article200 + r.recrawl.other === 0);
  console.log(`- recrawl of the unchanged farm: only 304s besides robots.txt: ${verdict(only304)}`);
  if (big.p99Busy !== undefined && big.p99Rest !== undefined) {
    const ratio = big.p99Busy / Math.max(big.p99Rest, 1);
    console.log(
      `- p99 /feed.xml?limit=10, 32 connections: ${big.p99Busy} ms while crawling ${big.sources} sources, ${big.p99Rest} ms at rest (${f(ratio, 2)}×, goal ≤ 3×): ${verdict(big.p99Busy <= 3 * Math.max(big.p99Rest, 1))}`,
    );
  }
}

const reports: Array<[Profile, Row[]]> = [];
for (const profile of RUN_PROFILES) {
  const rows: Row[] = [];
  for (const size of SIZES) {
    process.stderr.write(`bench:scale: ${profile.name}: ${size} sources…\n`);
    rows.push(await measure(profile, size, size === largest));
  }
  reports.push([profile, rows]);
}
const replicaProfile = RUN_PROFILES.at(-1) as Profile;
if (REPLICAS) process.stderr.write(`bench:scale: three replicas on one Redis (${replicaProfile.name})…\n`);
const rep = REPLICAS ? await replicas(replicaProfile, Math.min(...SIZES)) : null;

for (const [profile, rows] of reports) report(profile, rows);
if (rep) {
  console.log(
    `\n- three replicas on one Redis (profile ${replicaProfile.name}), ${rep.articles} articles: ${rep.fetched} article fetches in total: ${verdict(rep.fetched === rep.articles)}`,
  );
}
