import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.js';
import { EmbeddedStore } from '../../src/store/embedded.js';
import type { OpenStore } from '../../src/store/index.js';
import { HARVEST, ROAD } from './fixtures/articles.js';
import { candidate, fromArticle, makeBackend, uniqueArticle, type Backend } from './helpers.js';

const NOW = new Date('2024-02-01T00:00:00Z');

function capture(): { logger: ReturnType<typeof pino>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }), lines };
}

async function fill(store: OpenStore, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const a = uniqueArticle(i);
    await store.upsert(candidate({ url: `https://x.vn/tin/${i}`, title: a.title, text: a.text, publishedAt: `2024-01-${String(1 + i).padStart(2, '0')}T00:00:00.000Z` }), NOW);
  }
}

describe('embedded store persistence', () => {
  let backend: Backend;
  const open: OpenStore[] = [];
  const openStore = async (overrides = {}) => {
    const s = await backend.open(overrides);
    open.push(s);
    return s;
  };
  const log = () => join(backend.dataDir, 'items.log');
  const snapshot = () => join(backend.dataDir, 'snapshot.jsonl');

  beforeEach(() => {
    backend = makeBackend('embedded');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await backend.cleanup();
  });

  it('writes one checksummed JSON line per item write', async () => {
    const store = await openStore();
    await fill(store, 3);
    const lines = readFileSync(log(), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{8} \{"t":"put","item":\{/);
  });

  it('a torn last line (kill -9 mid-write) is reported with file, line and recovered count, then skipped', async () => {
    const first = await openStore();
    await fill(first, 3);
    appendFileSync(log(), '0123456789ab {"t":"put","item":{"guid":"https://x.vn/tin/99","id":"');
    const { logger, lines } = capture();
    const second = await openStore({ logger });
    expect((await second.stats()).items).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.file).toBe(log());
    expect(lines[0]?.badLines).toEqual([4]);
    expect(lines[0]?.recovered).toBe(3);
    expect(String(lines[0]?.msg)).toContain('line 4');
    // The next write starts on a fresh line, so it is not glued to the torn one.
    await fill(second, 1, 10);
    const { logger: l3, lines: warn3 } = capture();
    const third = await openStore({ logger: l3 });
    expect((await third.stats()).items).toBe(4);
    expect(warn3[0]?.badLines).toEqual([4]);
  });

  it('a damaged line in the middle is skipped and the rest recovered', async () => {
    const first = await openStore();
    await fill(first, 4);
    const lines = readFileSync(log(), 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('Bản tin', 'Bản tim');
    writeFileSync(log(), lines.join('\n'));
    const { logger, lines: warnings } = capture();
    const second = await openStore({ logger });
    expect((await second.stats()).items).toBe(3);
    expect(warnings[0]?.badLines).toEqual([2]);
  });

  it('a corrupt snapshot is an error naming the file', async () => {
    const first = await openStore();
    await fill(first, 2);
    await first.close();
    open.splice(0);
    const text = readFileSync(snapshot(), 'utf8');
    writeFileSync(snapshot(), text.slice(0, Math.floor(text.length / 2)));
    const attempt = backend.open();
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(snapshot()) });
  });

  it('compaction writes a snapshot, empties the log and loses nothing', async () => {
    const store = (await openStore()) as EmbeddedStore;
    await fill(store, 5);
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW);
    await store.upsert(fromArticle(HARVEST, 'https://y.vn/lua', { sourceId: 'y' }), NOW);
    await store.setValidators('https://x.vn/tin', { etag: '"e"', lastModified: null });
    const before = await store.latest({ limit: 50 });
    store.compact();
    expect(statSync(log()).size).toBe(0);
    expect(readFileSync(snapshot(), 'utf8').split('\n')[0]).toMatch(/"t":"snap"/);
    const reopened = await openStore();
    expect(await reopened.latest({ limit: 50 })).toEqual(before);
    expect(await reopened.knows('https://y.vn/lua')).toBe(true);
    expect(await reopened.getValidators('https://x.vn/tin')).toEqual({ etag: '"e"', lastModified: null });
  });

  it('opening reads item metas only: a damaged body line is an error naming file and item, and leaves only that item out of feeds', async () => {
    const first = (await openStore()) as EmbeddedStore;
    await fill(first, 3);
    first.compact();
    const [newest] = await first.latest({ limit: 1 });
    const text = readFileSync(snapshot(), 'utf8');
    const bodyLine = text.split('\n').find((l) => l.includes('"t":"body"') && l.includes(newest!.id))!;
    const damaged = bodyLine.replace(/"text":"(.)/, (_, c: string) => `"text":"${c === 'x' ? 'y' : 'x'}`);
    writeFileSync(snapshot(), text.replace(bodyLine, damaged));
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const second = await openStore({ logger });
    expect((await second.stats()).items).toBe(3);
    expect(await second.knows(newest!.url)).toBe(true);
    const read = second.get(newest!.id);
    await expect(read).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(snapshot()) });
    await expect(read).rejects.toThrow(newest!.id);
    expect((await second.latest({ limit: 3 })).map((i) => i.id)).not.toContain(newest!.id);
    expect((await second.latest({ limit: 3 })).length).toBe(2);
    expect(String(lines[0]?.msg)).toContain(`item ${newest!.id}`);
  });

  it('loads a version 1 snapshot (whole items on put lines) and rewrites it as version 2 at the next compaction', async () => {
    const first = (await openStore()) as EmbeddedStore;
    await fill(first, 3);
    const before = await first.latest({ limit: 10 });
    const puts = readFileSync(log(), 'utf8').trim().split('\n');
    const sum = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 12);
    const line = (json: string) => `${sum(json)} ${json}\n`;
    const v1 = [line('{"t":"snap","v":1,"records":3}'), ...puts.map((l) => `${l}\n`), line('{"t":"end","records":3}')];
    await first.close();
    open.splice(0);
    writeFileSync(snapshot(), v1.join(''));
    writeFileSync(log(), '');
    const second = (await openStore()) as EmbeddedStore;
    expect(await second.latest({ limit: 10 })).toEqual(before);
    second.compact();
    expect(readFileSync(snapshot(), 'utf8').split('\n')[0]).toMatch(/"t":"snap","v":2/);
    const third = await openStore();
    expect(await third.latest({ limit: 10 })).toEqual(before);
  });

  it('a second process on the same dataDir sees new writes, and a compaction there, without reopening', async () => {
    const writer = (await openStore()) as EmbeddedStore;
    const reader = await openStore();
    await fill(writer, 2);
    const v1 = await reader.version();
    expect((await reader.latest({ limit: 10 })).length).toBe(2);
    await writer.upsert(fromArticle(ROAD, 'https://x.vn/duong'), NOW);
    expect(await reader.version()).not.toBe(v1);
    expect(await reader.knows('https://x.vn/duong')).toBe(true);
    writer.compact();
    await writer.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW);
    expect((await reader.stats()).items).toBe(4);
    expect((await reader.latest({ limit: 10 })).map((i) => i.url)).toEqual((await writer.latest({ limit: 10 })).map((i) => i.url));
  });

  it('logs each decision: debug for new, info with the distance for merges', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const store = await openStore({ logger });
    await store.upsert(fromArticle(HARVEST, 'https://x.vn/lua'), NOW);
    const merged = await store.upsert(fromArticle({ ...HARVEST, title: `${HARVEST.title} (ảnh)` }, 'https://y.vn/lua'), NOW);
    expect(merged.status).toBe('merged');
    expect(lines.find((l) => l.msg === 'store: new item')?.level).toBe(20);
    const info = lines.find((l) => String(l.msg).startsWith('store: near duplicate merged'));
    expect(info?.level).toBe(30);
    expect(info?.distance).toBe(merged.distance);
  });

  it('a page first seen undated takes its real date when it later shows one', async () => {
    const store = await openStore();
    const first = await store.upsert(fromArticle(ROAD, 'https://x.vn/duong', { publishedAt: null }), NOW);
    expect(first.item.dateIsFirstSeen).toBe(true);
    const dated = await store.upsert(fromArticle({ ...ROAD, text: `${ROAD.text} Cập nhật.` }, 'https://x.vn/duong', { publishedAt: '2024-01-22T01:00:00.000Z' }), new Date('2024-02-03T00:00:00Z'));
    expect([dated.status, dated.item.publishedAt, dated.item.dateIsFirstSeen, dated.item.guid]).toEqual(['updated', '2024-01-22T01:00:00.000Z', false, first.item.guid]);
  });

  it('lease lock files in dataDir exclude a second store instance', async () => {
    const a = await openStore();
    const b = await openStore();
    const lease = await a.lock.acquire('crawl:x', 5_000);
    expect(lease).not.toBeNull();
    expect(await b.lock.acquire('crawl:x', 5_000)).toBeNull();
    await lease!.release();
    expect(await b.lock.acquire('crawl:x', 5_000)).not.toBeNull();
  });
});
