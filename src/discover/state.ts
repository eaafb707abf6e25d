/** Discovery kept in the store per source, reused for a day (or until `crawl --rediscover`). */
import type { ItemStore } from '../core/types.js';
import { discoverSite, foundNothing, type DiscoverDeps, type Discovery, type DiscoveryRun } from './discover.js';
import { LIMITS } from './rules.js';

export const discoveryStateName = (sourceId: string): string => `discovery:${sourceId}`;

export interface StoredDiscovery {
  discovery: Discovery;
  /** Set when this call discovered (nothing stored, stale, or asked for); the run's extra findings. */
  run: DiscoveryRun | null;
}

function isDiscovery(value: unknown, baseUrl: string): value is Discovery {
  const d = value as Partial<Discovery> | null;
  return !!d && d.version === 1 && d.baseUrl === baseUrl && Array.isArray(d.sections) && typeof d.discoveredAt === 'string';
}

/** The stored discovery of a source when fresh, else a new one (stored before it is returned). */
export async function currentDiscovery(
  store: ItemStore,
  source: { id: string; baseUrl: string },
  deps: DiscoverDeps,
  options: { rediscover?: boolean } = {},
): Promise<StoredDiscovery> {
  const baseUrl = new URL(source.baseUrl).href;
  const stored = await store.getState<Discovery>(discoveryStateName(source.id));
  const fresh = isDiscovery(stored, baseUrl) && deps.now().getTime() - Date.parse(stored.discoveredAt) < LIMITS.refreshMs;
  if (fresh && !options.rediscover) return { discovery: stored, run: null };
  const run = await discoverSite(baseUrl, deps);
  // A site that answered nothing today keeps yesterday's findings, and is asked again next run.
  if (foundNothing(run.discovery)) return { discovery: isDiscovery(stored, baseUrl) ? stored : run.discovery, run };
  await store.setState(discoveryStateName(source.id), run.discovery);
  return { discovery: run.discovery, run };
}
