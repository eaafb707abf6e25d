import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { decide, indexEntries, signatureOf, type DecisionReader, type StoredItem } from '../../src/store/decide.js';
import { fingerprint } from '../../src/store/identity.js';
import { hammingDistance, parseSimhash } from '../../src/store/simhash.js';
import { HARVEST, ROAD } from './fixtures/articles.js';
import { fromArticle, uniqueArticle } from './helpers.js';

const NOW = new Date('2024-02-01T00:00:00.000Z');
const logger = silentLogger();

/** The decision's reads over plain maps, recording which items were loaded whole. */
function memoryReader(items: StoredItem[]): DecisionReader & { loaded: string[]; candidates: Set<string> } {
  const byId = new Map(items.map((item) => [item.id, item]));
  const index = new Map<string, string[]>();
  for (const item of items) for (const key of indexEntries(item).fingerprints) index.set(key, [...(index.get(key) ?? []), item.id]);
  const loaded: string[] = [];
  const candidates = new Set<string>();
  return {
    loaded,
    candidates,
    idForKey: async () => null,
    idForHash: async () => null,
    idsForFingerprints: async (keys, max) => {
      const ids = [...new Set(keys.flatMap((k) => ((index.get(k)?.length ?? 0) <= max ? (index.get(k) ?? []) : [])))];
      for (const id of ids) candidates.add(id);
      return ids;
    },
    signatures: async (ids) =>
      ids.map((id) => {
        const item = byId.get(id);
        return item ? signatureOf(item) : null;
      }),
    load: async (id) => (loaded.push(id), byId.get(id) ?? null),
  };
}

const EMPTY = memoryReader([]);

async function stored(url: string, article: { title: string; text: string }, publishedAt = '2024-01-19T12:48:00.000Z'): Promise<StoredItem> {
  return (await decide(fromArticle(article, url, { publishedAt }), NOW, EMPTY, 3, logger)).after;
}

/** Unrelated items indexed under the target's band 0 and anchor a0, as chance collisions in a large store are. */
async function decoys(target: Pick<StoredItem, 'simhash' | 'anchors'>, count: number, legacy = false): Promise<StoredItem[]> {
  const out: StoredItem[] = [];
  for (let n = 0; n < count; n++) {
    const item = await stored(`https://x.vn/decoy/${n}`, uniqueArticle(900 + n));
    const simhash = target.simhash.slice(0, 4) + item.simhash.slice(4);
    const decoy = { ...item, simhash, anchors: [target.anchors[0] as string, ...item.anchors.slice(1)] };
    if (legacy) delete decoy.sketch;
    out.push(decoy);
  }
  return out;
}

function sentenceAdded(article: { title: string; text: string }): { title: string; text: string } {
  const [first, ...rest] = article.text.split('\n\n');
  return {
    ...article,
    text: [`${first} Lãnh đạo các sở, ngành và địa phương cùng dự, đánh giá cao kết quả đạt được trong năm qua.`, ...rest].join('\n\n'),
  };
}

describe('near-duplicate decision reads', () => {
  it('judges chance candidates by their signatures and loads only the item it merges into', async () => {
    const base = await stored('https://a.vn/lua', HARVEST);
    const copy = fromArticle(sentenceAdded(HARVEST), 'https://b.vn/lua');
    const copyFingerprint = fingerprint(copy.title, copy.text);
    expect(hammingDistance(parseSimhash(base.simhash), parseSimhash(copyFingerprint.simhash))).toBeGreaterThan(3);
    const reader = memoryReader([base, ...(await decoys(copyFingerprint, 40))]);
    const decision = await decide(copy, NOW, reader, 3, logger);
    expect(reader.candidates.size).toBe(41);
    expect(decision.outcome.status).toBe('merged');
    expect(decision.before?.id).toBe(base.id);
    expect(reader.loaded).toEqual([base.id]);
  });

  it('loads nothing for a new text whose candidates are all chance collisions', async () => {
    const road = fromArticle(ROAD, 'https://b.vn/duong');
    const reader = memoryReader(await decoys(fingerprint(road.title, road.text), 40));
    const decision = await decide(road, NOW, reader, 3, logger);
    expect(reader.candidates.size).toBe(40);
    expect(decision.outcome.status).toBe('new');
    expect(reader.loaded).toEqual([]);
  });

  it('items stored before sketches existed still get the exact resemblance check', async () => {
    const base = await stored('https://a.vn/lua', HARVEST);
    delete base.sketch;
    const merged = await decide(fromArticle(sentenceAdded(HARVEST), 'https://b.vn/lua'), NOW, memoryReader([base]), 3, logger);
    expect(merged.outcome.status).toBe('merged');
    expect(merged.before?.id).toBe(base.id);
    const road = fromArticle(ROAD, 'https://b.vn/duong');
    const legacy = await decoys(fingerprint(road.title, road.text), 3, true);
    const reader = memoryReader(legacy);
    expect((await decide(road, NOW, reader, 3, logger)).outcome.status).toBe('new');
    expect([...reader.loaded].sort()).toEqual(legacy.map((d) => d.id).sort());
  });

  it('within distance, the nearest and then the earliest-published candidate wins', async () => {
    const later = await stored('https://a.vn/lua-2', HARVEST, '2024-01-20T08:00:00.000Z');
    const earlier = { ...later, id: 'earlier', url: 'https://a.vn/lua-1', publishedAt: '2024-01-18T08:00:00.000Z' };
    const reader = memoryReader([later, earlier]);
    const copy = fromArticle(HARVEST, 'https://b.vn/lua');
    const decision = await decide(copy, NOW, reader, 3, logger);
    expect(decision.outcome.status).toBe('merged');
    expect(decision.before?.id).toBe('earlier');
    expect(reader.loaded).toEqual(['earlier']);
  });
});
