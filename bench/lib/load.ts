import { join } from 'node:path';
import { ROOT, runNode } from './proc.js';

const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');

export interface LoadOptions {
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  /** Every response must have this status, else the run is reported as failed. */
  expectStatus: number;
}

export interface LoadResult {
  rps: number;
  p99Ms: number;
  total: number;
  unexpected: number;
  errors: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

/**
 * Each connection is renewed after this many requests: portalfeed sets maxRequestsPerSocket = 1000 and Node
 * answers 503 to requests a client sends past it on the same socket (autocannon ignores `Connection: close`).
 */
export const RECONNECT_EVERY = 500;

function autocannonArgs(url: string, options: LoadOptions, durationSec: number): string[] {
  const headerArgs = Object.entries(options.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  return [AUTOCANNON, '-j', '-c', String(options.connections), '-d', String(durationSec), '-D', String(RECONNECT_EVERY), ...headerArgs, url];
}

/**
 * Measures several targets with the same load, interleaved (A B A B …) so a machine whose load drifts
 * affects all of them alike; each gets a discarded 1 s warm-up first. Results are averaged over rounds.
 */
export async function interleavedLoad(urls: string[], options: LoadOptions, rounds: number): Promise<LoadResult[]> {
  for (const url of urls) await runNode(autocannonArgs(url, options, 1));
  const runs: LoadResult[][] = urls.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, url] of urls.entries()) runs[i]?.push(await loadTest(url, options));
  }
  return runs.map(average);
}

function average(results: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number): number => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  const sum = (pick: (r: LoadResult) => number): number => results.reduce((total, r) => total + pick(r), 0);
  return {
    rps: mean((r) => r.rps),
    p99Ms: mean((r) => r.p99Ms),
    total: sum((r) => r.total),
    unexpected: sum((r) => r.unexpected),
    errors: sum((r) => r.errors),
  };
}

/** One autocannon run in its own process against one URL; parses its JSON. */
export async function loadTest(url: string, options: LoadOptions): Promise<LoadResult> {
  const json = JSON.parse(lastJsonLine(await runNode(autocannonArgs(url, options, options.durationSec)))) as AutocannonJson;
  const bucket = `${Math.floor(options.expectStatus / 100)}xx` as '2xx' | '3xx';
  return {
    rps: json.requests.average,
    p99Ms: json.latency.p99,
    total: json.requests.total,
    unexpected: json.requests.total - json[bucket],
    errors: json.errors + json.timeouts,
  };
}

function lastJsonLine(stdout: string): string {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.trim().startsWith('{'));
  if (!line) throw new Error(`autocannon printed no JSON:\n${stdout.slice(-1000)}`);
  return line;
}
