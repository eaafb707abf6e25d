export { discoverSite, foundNothing, readSitemapTree, relativeTo, sectionCandidates, advertisedFeeds } from './discover.js';
export type { DiscoveredSection, Discovery, DiscoveryRun, DiscoverDeps } from './discover.js';
export { currentDiscovery, discoveryStateName, type StoredDiscovery } from './state.js';
export { derivePattern, matchesPattern, unionPattern } from './pattern.js';
export { parseSitemap, sitemapsFromRobots, type SitemapEntry, type ParsedSitemap } from './sitemap.js';
export { sourceBlock, sourceConfigOf, sourceIdFor } from './source-block.js';
export { previewItems, previewTable, type Preview, type PreviewItem } from './preview.js';
export { discoverReport, type DiscoverReport } from './report.js';
export { LIMITS as DISCOVERY_LIMITS } from './rules.js';
