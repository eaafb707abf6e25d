/** Runs in a worker thread: the extraction stack parses pages here, away from the event loop that serves HTTP. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../core/worker-thread.js';
import { extractArticle, extractListing, readArticlePage, type ExtractOptions } from '../extract/index.js';
import { createTagger, type Tagger } from '../tag/index.js';
import { articleFacts, wireError, type ParseRequest, type ParseResponse, type ParseWorkerData, type WirePage } from './parser.js';

function readPage(html: string, url: string, options: ExtractOptions): WirePage {
  const page = readArticlePage(html, url, options);
  return { ...page, failure: page.failure === null ? null : wireError(page.failure) };
}

function answer(request: ParseRequest, tagger: () => Tagger): ParseResponse {
  try {
    const value =
      request.kind === 'facts'
        ? articleFacts(tagger(), request.input)
        : request.kind === 'article'
          ? extractArticle(request.html, request.url, request.options)
          : request.kind === 'page'
            ? readPage(request.html, request.url, request.options)
            : extractListing(request.html, request.url, request.options);
    return { id: request.id, ok: true, value };
  } catch (err) {
    return { id: request.id, ok: false, error: wireError(err) };
  }
}

const data = workerData as ParseWorkerData | undefined;
lowerThreadPriority(data?.niceIncrement ?? 0);
let compiled: Tagger | null = null;
// Compiled at the first article, not at start: a worker that only parses listings never needs it.
const tagger = (): Tagger => {
  if (!data?.taxonomy) throw new Error('parse worker started without a taxonomy');
  return (compiled ??= createTagger(data.taxonomy));
};

parentPort?.on('message', (request: ParseRequest) => parentPort?.postMessage(answer(request, tagger)));
