import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/log.js';
import type { ItemCandidate } from '../../src/core/types.js';
import { openStore, type OpenStore, type StoreOptions } from '../../src/store/index.js';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import type { ArticleText } from './fixtures/articles.js';

/** Options for a store under test: no retention limits, near-duplicate distance 3, no log output. `threaded`: the embedded store in its worker thread. */
export function storeOptionsFor(kind: StoreKind, at: { dataDir: string; keyPrefix: string; redisUrl: string }): StoreOptions {
  return {
    ...(kind === 'threaded' ? { thread: true } : {}),
    redisUrl: kind === 'redis' ? at.redisUrl : null,
    dataDir: at.dataDir,
    keyPrefix: at.keyPrefix,
    retentionDays: null,
    maxItems: null,
    nearDuplicateDistance: 3,
    logger: silentLogger(),
  };
}

export function candidate(overrides: Partial<ItemCandidate> & { url: string }): ItemCandidate {
  return {
    sourceId: 'quangtri',
    title: 'Tiêu đề',
    publishedAt: '2024-01-19T12:48:00.000Z',
    modifiedAt: null,
    author: null,
    sourceName: null,
    lead: null,
    contentHtml: '<p>Nội dung</p>',
    text: 'Nội dung',
    image: null,
    section: null,
    categories: [],
    places: [],
    ...overrides,
  };
}

export function fromArticle(article: ArticleText, url: string, overrides: Partial<ItemCandidate> = {}): ItemCandidate {
  const html = article.text
    .split('\n\n')
    .map((p) => `<p>${p}</p>`)
    .join('');
  return candidate({ url, title: article.title, text: article.text, contentHtml: html, ...overrides });
}

/** Article-like text n with its own vocabulary, so generated items never look alike. */
export function uniqueArticle(n: number): ArticleText {
  const words = ['xã', 'huyện', 'tỉnh', 'dự án', 'hội nghị', 'nông dân', 'trường học', 'bệnh viện', 'cầu', 'đường', 'lúa', 'rừng', 'biển', 'cán bộ'];
  const parts: string[] = [];
  let x = n * 7919 + 17;
  for (let i = 0; i < 60; i++) {
    x = (x * 48271) % 2147483647;
    parts.push(`${words[x % words.length]} ${(x % 9973) + n}`);
  }
  return { title: `Bản tin số ${n} về ${words[n % words.length]}`, text: parts.join(' ') };
}

export type StoreKind = 'embedded' | 'threaded' | 'redis';

export interface Backend {
  name: StoreKind;
  dataDir: string;
  keyPrefix: string;
  open(overrides?: Partial<StoreOptions>): Promise<OpenStore>;
  cleanup(): Promise<void>;
}

/** A fresh, isolated backend: a temp dataDir or a unique Redis key prefix. Reopening sees the same data. */
export function makeBackend(name: StoreKind, topology?: Partial<StoreOptions>): Backend {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-store-'));
  const keyPrefix = uniquePrefix('store');
  const open = (overrides: Partial<StoreOptions> = {}) =>
    openStore({ ...storeOptionsFor(name, { dataDir, keyPrefix, redisUrl: TEST_REDIS_URL }), ...topology, ...overrides });
  return {
    name,
    dataDir,
    keyPrefix,
    open,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      // A private cluster or sentinel group is thrown away whole by its test file.
      if (!topology) await dropPrefix(keyPrefix);
    },
  };
}

/**
 * The anchors an item had under index layout 1: its four lowest-numbered MinHash minima, one each. Layout 2
 * joins them in pairs (`m0:` = minima 0 and 1), so they read back from its first two anchors.
 */
export function layout1Anchors(anchors: string[]): string[] {
  return anchors.slice(0, 2).flatMap((a, i) => [`a${2 * i}:${a.slice(3, 11)}`, `a${2 * i + 1}:${a.slice(11, 19)}`]);
}

/** HARVEST with one sentence added: its SimHash drifts beyond distance 3, so only the anchors find the original. */
export function sentenceAdded(article: ArticleText): ArticleText {
  const [first, ...rest] = article.text.split('\n\n');
  return {
    ...article,
    text: [`${first} Lãnh đạo các sở, ngành và địa phương cùng dự, đánh giá cao kết quả đạt được trong năm qua.`, ...rest].join('\n\n'),
  };
}
