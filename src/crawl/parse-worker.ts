/** Runs in a worker thread: the extraction stack parses pages here, away from the event loop that serves HTTP. */
import { parentPort } from 'node:worker_threads';
import { PortalfeedError } from '../core/errors.js';
import { extractArticle, extractListing } from '../extract/index.js';
import type { ParseRequest, ParseResponse } from './parser.js';

function answer(request: ParseRequest): ParseResponse {
  try {
    const value =
      request.kind === 'article'
        ? extractArticle(request.html, request.url, request.options)
        : extractListing(request.html, request.url, request.options);
    return { id: request.id, ok: true, value };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return {
      id: request.id,
      ok: false,
      error: {
        message: error.message,
        name: error.name,
        ...(error instanceof PortalfeedError ? { code: error.code, details: error.details } : {}),
      },
    };
  }
}

parentPort?.on('message', (request: ParseRequest) => parentPort?.postMessage(answer(request)));
