import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ExtractError, PortalfeedError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { startWorkerThread } from '../core/worker-thread.js';
import type { ExtractedArticle, Fingerprint, ListingPage } from '../core/types.js';
import type { ArticlePage, ExtractOptions, ListingOptions, PageVerdict } from '../extract/index.js';
import { fingerprint } from '../store/identity.js';
import type { TagInput, Tagger, Taxonomy } from '../tag/index.js';

type TagResult = ReturnType<Tagger['tag']>;

/**
 * What storing an extracted article needs computed from its text: its categories and places, and its dedup
 * fingerprint (shingles, SimHash, MinHash: 7 of the main thread's 51 s busy in a 300-source crawl when done there).
 */
export interface ArticleFacts {
  tags: TagResult;
  fingerprint: Fingerprint;
}

export function articleFacts(tagger: Tagger, input: TagInput): ArticleFacts {
  return { tags: tagger.tag(input), fingerprint: fingerprint(input.title, input.text) };
}

/** Extraction of fetched pages, in this thread or in worker threads. */
export interface PageParser {
  article(html: string, url: string, options: ExtractOptions): Promise<ExtractedArticle>;
  /** The article and what kind of page it is (extract/page-kind.ts), both read where the extraction runs. */
  page(html: string, url: string, options: ExtractOptions): Promise<ArticlePage>;
  listing(html: string, url: string, options: ListingOptions): Promise<ListingPage>;
  /** Tags and fingerprint of an extracted article (ArticleFacts): keyword matching and hashing over its whole text. */
  facts(input: TagInput): Promise<ArticleFacts>;
  close(): Promise<void>;
}

export type ParseRequest =
  | { id: number; kind: 'article' | 'page'; html: string; url: string; options: ExtractOptions }
  | { id: number; kind: 'listing'; html: string; url: string; options: ListingOptions }
  | { id: number; kind: 'facts'; input: TagInput };

/** What a worker starts with: the taxonomy it builds its own tagger from (the same table gives the same tags). */
export interface ParseWorkerData {
  taxonomy: Taxonomy | null;
  /** Added to the worker thread's nice value (WORKER_NICE_INCREMENT). */
  niceIncrement: number;
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  message: string;
  name: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

/** A page's reading with its failure made cloneable. */
export interface WirePage {
  article: ExtractedArticle | null;
  verdict: PageVerdict;
  failure: WireError | null;
}

export type ParseResponse =
  { id: number; ok: true; value: ExtractedArticle | ListingPage | WirePage | ArticleFacts } | { id: number; ok: false; error: WireError };

export function wireError(err: unknown): WireError {
  const error = err instanceof Error ? err : new Error(String(err));
  return {
    message: error.message,
    name: error.name,
    ...(error instanceof PortalfeedError ? { code: error.code, details: error.details } : {}),
  };
}

/** `crawl.parseWorkers: null`: one thread per spare core, at most 4, at least 1. */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Parses on the calling thread (`crawl.parseWorkers: 0`); the stack is loaded at the first page. */
export function inlineParser(tagger: Tagger): PageParser {
  const extract = () => import('../extract/index.js');
  return {
    article: async (html, url, options) => (await extract()).extractArticle(html, url, options),
    page: async (html, url, options) => (await extract()).readArticlePage(html, url, options),
    listing: async (html, url, options) => (await extract()).extractListing(html, url, options),
    facts: async (input) => articleFacts(tagger, input),
    close: async () => undefined,
  };
}

function rebuildError(error: WireError): Error {
  if (error.code === 'EXTRACT_FAILED') return new ExtractError(error.message, { details: error.details ?? {} });
  if (error.code) return new PortalfeedError(error.code, error.message, { details: error.details ?? {} });
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * The workers' V8 young generation (MB): a page's parse garbage dies young, so a small nursery costs few
 * survivors; V8's default (48 MB on 64-bit) stays mostly resident in every worker.
 */
const WORKER_YOUNG_GENERATION_MB = 16;
/**
 * Nice levels a parse worker's thread sits below the process's: serving latency first, crawl throughput after (each
 * level is about 1.25x less CPU share while both threads want a core).
 */
const WORKER_NICE_INCREMENT = 5;

/** Omit over each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Lane {
  worker: Worker;
  pending: Map<number, { resolve: (value: never) => void; reject: (err: Error) => void }>;
}

/**
 * A small pool of worker threads running the extractors; each page goes to the least busy one. Workers
 * start at the first page and are unref'd; one that dies fails its pages (counted as article failures)
 * and is replaced at the next page.
 */
export function workerParser(size: number, logger: Logger, tagging: { tagger: Tagger; taxonomy: Taxonomy | null }): PageParser {
  const lanes: Array<Lane | null> = Array.from({ length: size }, () => null);
  let nextId = 1;

  const spawn = (index: number): Lane => {
    const workerData: ParseWorkerData = { taxonomy: tagging.taxonomy, niceIncrement: WORKER_NICE_INCREMENT };
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    const worker = startWorkerThread(import.meta.url, 'parse-worker', { workerData, resourceLimits });
    worker.unref();
    const lane: Lane = { worker, pending: new Map() };
    worker.on('message', (response: ParseResponse) => {
      const task = lane.pending.get(response.id);
      if (!task) return;
      lane.pending.delete(response.id);
      if (response.ok) task.resolve(response.value as never);
      else task.reject(rebuildError(response.error));
    });
    const fail = (err: Error) => {
      if (lanes[index] === lane) lanes[index] = null;
      for (const task of lane.pending.values()) task.reject(err);
      lane.pending.clear();
    };
    worker.on('error', (err) => {
      logger.warn({ err }, 'parse worker failed; starting another');
      fail(err);
    });
    worker.on('exit', (code) => fail(new Error(`parse worker exited (code ${code})`)));
    lanes[index] = lane;
    return lane;
  };

  const pick = (): Lane => {
    let best = -1;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i];
      if (!lane) return spawn(i);
      if (best < 0 || lane.pending.size < (lanes[best] as Lane).pending.size) best = i;
    }
    return lanes[best] as Lane;
  };

  const run = <T>(request: WithoutId<ParseRequest>): Promise<T> => {
    const lane = pick();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      lane.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      lane.worker.postMessage({ ...request, id });
    });
  };

  return {
    article: (html, url, options) => run({ kind: 'article', html, url, options }),
    page: async (html, url, options) => {
      const page = await run<WirePage>({ kind: 'page', html, url, options });
      return { ...page, failure: page.failure && rebuildError(page.failure) };
    },
    listing: (html, url, options) => run({ kind: 'listing', html, url, options }),
    // Without the taxonomy (a caller that passed only a tagger) tagging stays on this thread.
    facts: (input) => (tagging.taxonomy ? run({ kind: 'facts', input }) : Promise.resolve(articleFacts(tagging.tagger, input))),
    async close() {
      const running = lanes.filter((lane): lane is Lane => lane !== null);
      lanes.fill(null);
      await Promise.all(running.map((lane) => lane.worker.terminate()));
    },
  };
}

/** The parser `crawl.parseWorkers` asks for: 0 → this thread, null → the default pool size. */
export function createParser(workers: number | null, logger: Logger, tagging: { tagger: Tagger; taxonomy: Taxonomy | null }): PageParser {
  const size = workers ?? defaultParseWorkers();
  return size === 0 ? inlineParser(tagging.tagger) : workerParser(size, logger, tagging);
}
