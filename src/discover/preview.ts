/** The first items a discovered source would publish, each read as `inspect` reads it, and the pages turned away. */
import type { Selectors } from '../config/schema.js';
import { describeError } from '../core/errors.js';
import { readArticlePage } from '../extract/index.js';
import type { HttpClient } from '../fetch/index.js';
import type { DiscoveryRun } from './discover.js';

export interface PreviewItem {
  url: string;
  title: string;
  publishedAt: string | null;
  author: string | null;
  section: string | null;
}

export interface PreviewRejection {
  url: string;
  reason: string;
}

export interface Preview {
  items: PreviewItem[];
  rejected: PreviewRejection[];
}

/** Candidates in the order a crawl meets them: section lists side by side, then the sitemap, then feeds. */
function candidates(run: DiscoveryRun): Array<{ url: string; section: string | null }> {
  const lists = run.discovery.sections.map((section) => ({
    name: section.name,
    links: (run.listed.get(new URL(section.url, run.discovery.baseUrl).href) ?? []).map((item) => item.url),
  }));
  const out: Array<{ url: string; section: string | null }> = [];
  const longest = Math.max(0, ...lists.map((l) => l.links.length));
  for (let i = 0; i < longest; i++) {
    for (const list of lists) if (list.links[i]) out.push({ url: list.links[i]!, section: list.name });
  }
  for (const entry of run.sitemapEntries) out.push({ url: entry.url, section: null });
  for (const link of run.feedLinks) out.push({ url: link, section: null });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.url) && seen.add(c.url));
}

export async function previewItems(
  run: DiscoveryRun,
  http: HttpClient,
  options: { limit: number; selectors?: Selectors; now: Date; signal?: AbortSignal },
): Promise<Preview> {
  const items: PreviewItem[] = [];
  const rejected: PreviewRejection[] = [];
  const queue = candidates(run).slice(0, options.limit * 3);
  for (const candidate of queue) {
    if (items.length >= options.limit || options.signal?.aborted) break;
    try {
      const response = await http.get({ url: candidate.url, signal: options.signal });
      const { article, verdict, failure } = readArticlePage(response.text, response.url, { selectors: options.selectors, now: options.now });
      if (!article || verdict.kind !== 'article') {
        rejected.push({ url: candidate.url, reason: verdict.kind === 'article' ? describeError(failure) : `${verdict.kind} (${verdict.reason})` });
        continue;
      }
      items.push({
        url: candidate.url,
        title: article.title,
        publishedAt: article.publishedAt,
        author: article.author,
        section: article.section ?? candidate.section,
      });
    } catch (err) {
      rejected.push({ url: candidate.url, reason: describeError(err) });
    }
  }
  items.sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
  return { items, rejected };
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

function cell(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text + ' '.repeat(width - chars.length);
}

/** A plain-text table: title, date (local time), author, section. */
export function previewTable(preview: Preview): string {
  const rows = preview.items.map((item) => [
    item.title,
    item.publishedAt ? `${LOCAL.format(new Date(item.publishedAt))} +07` : '(no date)',
    item.author ?? '',
    item.section ?? '',
  ]);
  const header = ['TITLE', 'DATE', 'AUTHOR', 'SECTION'];
  const limits = [60, 20, 24, 28];
  const widths = header.map((h, i) => Math.min(limits[i]!, Math.max([...h].length, ...rows.map((r) => [...r[i]!].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => cell(c, widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  if (preview.rejected.length) {
    lines.push('', `not published (${preview.rejected.length}):`);
    for (const r of preview.rejected) lines.push(`  ${r.url}  ${r.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
