import type { CategoryInfo } from '../core/types.js';
import { FORMAT_FILES, type FeedFormat, type FeedKind } from './context.js';

export interface FeedRoute {
  kind: FeedKind;
  key: string | null;
  format: FeedFormat;
  /** Path under the service root, e.g. `/category/kinh-te/feed.xml`. */
  path: string;
  url: string;
  /** Human label of the channel (category or source name; `Tất cả tin` for everything). */
  label: string;
  /** Page the channel is about: the source's site, else the service. */
  htmlUrl: string;
}

export interface SourceRef {
  id: string;
  name: string;
  baseUrl: string;
}

export const FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];

export function channelPath(kind: FeedKind, key: string | null): string {
  return kind === 'all' ? '' : `/${kind}/${key ?? ''}`;
}

/** Every feed the service publishes: all, each category, each source, in RSS, Atom and JSON. */
export function feedRoutes(publicUrl: string, categories: CategoryInfo[], sources: SourceRef[]): FeedRoute[] {
  const base = publicUrl.replace(/\/+$/, '');
  const channels: Array<{ kind: FeedKind; key: string | null; label: string; htmlUrl: string }> = [
    { kind: 'all', key: null, label: 'Tất cả tin', htmlUrl: `${base}/` },
    ...categories.map((c) => ({ kind: 'category' as const, key: c.slug, label: c.name, htmlUrl: `${base}/` })),
    ...sources.map((s) => ({ kind: 'source' as const, key: s.id, label: s.name, htmlUrl: s.baseUrl })),
  ];
  return channels.flatMap((channel) =>
    FORMATS.map((format) => {
      const path = `${channelPath(channel.kind, channel.key)}/${FORMAT_FILES[format]}`;
      return { ...channel, format, path, url: `${base}${path}` };
    }),
  );
}
