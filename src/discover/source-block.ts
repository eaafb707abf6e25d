/** The YAML source block `portalfeed discover` prints: ready to paste under `sources:`. */
import { dump } from 'js-yaml';
import { foldVietnamese } from '../core/text.js';
import type { Discovery } from './discover.js';
import { unionPattern } from './pattern.js';

/** Labels of a host that name no one: `www`, and public suffixes of the kind Vietnamese portals use. */
const HOST_NOISE = new Set(['www', 'gov', 'vn', 'com', 'org', 'net', 'edu', 'info', 'int']);

function slug(text: string, max = 40): string {
  const words =
    foldVietnamese(text)
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? [];
  let out = '';
  for (const word of words) {
    if (out && out.length + word.length + 1 > max) break;
    out = out ? `${out}-${word}` : word.slice(0, max);
  }
  return out;
}

/** `snnmt.quangtri.gov.vn` → `snnmt-quangtri`; an IP address or localhost falls back to the site's name. */
export function sourceIdFor(baseUrl: string, siteName: string | null): string {
  const host = new URL(baseUrl).hostname;
  const numeric = /^[\d.]+$|^\[|^localhost$/i.test(host);
  const labels = host.split('.').filter((label) => !HOST_NOISE.has(label));
  const fromHost = numeric ? '' : slug(labels.join(' '));
  return fromHost || slug(siteName ?? '') || 'portal';
}

export interface SourceBlockOptions {
  id?: string;
}

/** The source as config: sections with their own pattern only when they differ from the source's. */
export function sourceConfigOf(discovery: Discovery, options: SourceBlockOptions = {}): Record<string, unknown> {
  const patterns = [...new Set(discovery.sections.map((s) => s.linkPattern).filter((p): p is string => !!p))];
  const shared = patterns.length <= 1;
  const source: Record<string, unknown> = {
    id: options.id ?? sourceIdFor(discovery.baseUrl, discovery.siteName),
    name: discovery.siteName ?? new URL(discovery.baseUrl).hostname,
    type: 'portal',
    baseUrl: discovery.baseUrl.replace(/\/$/, ''),
  };
  if (discovery.sections.length) {
    source.sections = discovery.sections.map((s) => ({
      id: s.id,
      name: s.name,
      url: s.url,
      ...(!shared && s.linkPattern ? { linkPattern: s.linkPattern } : {}),
    }));
  }
  const linkPattern = shared ? (discovery.linkPattern ?? unionPattern(patterns)) : discovery.linkPattern;
  if (linkPattern && (shared || !discovery.sections.length || discovery.sitemaps.length)) source.linkPattern = linkPattern;
  if (discovery.sitemaps.length) source.sitemap = discovery.sitemaps[0];
  if (discovery.feeds.length) source.feeds = discovery.feeds;
  return source;
}

export function sourceBlock(discovery: Discovery, options: SourceBlockOptions = {}): string {
  const yaml = dump([sourceConfigOf(discovery, options)], { lineWidth: -1, noRefs: true });
  const body = yaml.replace(/^/gm, '  ').replace(/\s+$/, '');
  return `# paste under "sources:" in your config (found by portalfeed discover, ${discovery.discoveredAt})\n${body}\n`;
}
