/** What `portalfeed discover URL` prints: the source block and the preview, or what was tried. */
import type { Selectors } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { HttpClient } from '../fetch/index.js';
import { discoverSite, foundNothing, type Discovery } from './discover.js';
import { previewItems, previewTable } from './preview.js';
import { sourceBlock } from './source-block.js';

export interface DiscoverReport {
  /** For stdout when something was found, else for stderr. */
  text: string;
  found: boolean;
  discovery: Discovery;
}

export async function discoverReport(
  target: string,
  deps: { http: HttpClient; logger: Logger; now: () => Date; signal?: AbortSignal },
  options: { limit: number; id?: string; selectors?: Selectors },
): Promise<DiscoverReport> {
  const run = await discoverSite(target, deps);
  if (foundNothing(run.discovery)) {
    const tried = run.discovery.tried.map((t) => `  - ${t}`).join('\n');
    return { found: false, discovery: run.discovery, text: `no news section, sitemap or feed found at ${target}. Tried:\n${tried}\n` };
  }
  const preview = await previewItems(run, deps.http, { limit: options.limit, selectors: options.selectors, now: deps.now(), signal: deps.signal });
  const block = sourceBlock(run.discovery, options.id ? { id: options.id } : {});
  return { found: true, discovery: run.discovery, text: `${block}\n${previewTable(preview)}` };
}
