import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { OpenStore } from '../../src/store/index.js';
import { itemGuidFor } from '../../src/store/index.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { makeBackend, type Backend, type StoreKind } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The child runs the TypeScript sources through tsx: no build needed. */
function runUntilKilled(args: string[], killAfterMs: number, acks: Map<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/store/crash-writer.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    let armed: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ack (\S+) (\S+)$/.exec(line);
        if (!m) continue;
        // Timed from the first acknowledgement so a slow start on a loaded machine still writes something.
        if (!armed) armed = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        acks.set(m[2] as string, m[1] as string);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own: ${stderr}`))));
  });
}

async function verify(store: OpenStore, acks: Map<string, string>): Promise<void> {
  const all = await store.latest({ limit: 100_000 });
  const urls = all.map((i) => i.url);
  expect(new Set(urls).size).toBe(urls.length);
  for (const [url, guid] of acks) {
    expect(await store.knows(url)).toBe(true);
    const item = await store.get(itemGuidFor(guid).id);
    expect(item?.guid).toBe(guid);
  }
  const guids = new Set(acks.values());
  // Acked articles are all there exactly once; at most one unacknowledged write per run may be extra.
  expect(all.filter((i) => guids.has(i.guid))).toHaveLength(guids.size);
  expect((await store.stats()).items).toBe(all.length);
}

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, 'portalfeed.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('crash safety (SIGKILL at random points)', () => {
  const backends: Backend[] = [];
  afterAll(async () => {
    for (const b of backends) await b.cleanup();
  });

  async function lane(kind: StoreKind, runs: number): Promise<{ acks: number; warnings: string[] }> {
    const backend = makeBackend(kind);
    backends.push(backend);
    const acks = new Map<string, string>();
    const warnings: string[] = [];
    for (let run = 0; run < runs; run++) {
      const start = Math.max(0, acks.size - 2);
      await runUntilKilled(
        [kind, backend.dataDir, backend.keyPrefix, TEST_REDIS_URL, String(start)],
        (kind === 'redis' ? 60 : 0) + Math.floor(Math.random() * (kind === 'redis' ? 240 : 120)),
        acks,
      );
      const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
      const store = await backend.open({ logger });
      await verify(store, acks);
      await store.close();
      if (kind !== 'redis') expect(integrity(backend.dataDir)).toBe('ok');
    }
    expect(acks.size).toBeGreaterThan(0);
    return { acks: acks.size, warnings };
  }

  // Independent lanes (own dataDir / key prefix) run side by side to keep the wall time down.
  it.each([
    ['embedded', 2, 10],
    ['threaded', 2, 5],
    ['redis', 2, 3],
  ] as const)(
    '%s: every acknowledged article survives SIGKILL exactly once, with its guid (%i lanes × %i kills)',
    async (kind, lanes, runs) => {
      const results = await Promise.all(Array.from({ length: lanes }, () => lane(kind, runs)));
      const warnings = results.flatMap((r) => r.warnings);
      expect(warnings).toEqual([]);
      const acked = results.reduce((n, r) => n + r.acks, 0);
      console.log(`${kind}: ${lanes * runs} kills, ${acked} acknowledged URLs verified`);
    },
    180_000,
  );
});
