import type { SourceConfig } from '../config/schema.js';

/**
 * Articles one source has in process at once (being fetched, parsed or stored), per request its host allows at
 * once: enough to keep the host's request slots busy while the last pages are parsed. Without a bound a source
 * queued every listed link at its host, and pages fetched faster than the parse workers read them piled up in
 * their queues: a 300-source crawl (crawl.concurrency 300) held 2,700 pages there at its peak, 349 MB RSS.
 */
export const ARTICLES_IN_PROCESS_PER_REQUEST = 2;

export function articlesInProcess(source: SourceConfig): number {
  return ARTICLES_IN_PROCESS_PER_REQUEST * source.http.concurrency;
}

/** Promise.allSettled over `items`, with at most `limit` of them in `work` at once; results in the items' order. */
export async function settleEach<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  return results;
}
