import type { Item } from '../core/types.js';
import { cleanText, collapseWhitespace } from '../core/text.js';
import { escapeXml } from './xml.js';

export const SUMMARY_LENGTH = 300;

/** Plain-text summary: the lead, else the start of the text, cut at a word boundary with an ellipsis. */
export function summarize(item: Pick<Item, 'lead' | 'text'>, max = SUMMARY_LENGTH): string {
  const source = collapseWhitespace(cleanText(item.lead?.trim() ? item.lead : item.text));
  if (source.length <= max) return source;
  const cut = source.slice(0, max);
  const boundary = cut.lastIndexOf(' ');
  const head = boundary > max * 0.6 ? cut.slice(0, boundary) : cut;
  return `${head.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/**
 * The article as readers see it: the lead (kept out of the stored body so it is never repeated)
 * as a bold first paragraph, then the body. Readers that show only the content still get the lead.
 */
export function articleHtml(item: Pick<Item, 'lead' | 'contentHtml'>): string {
  const lead = item.lead ? collapseWhitespace(cleanText(item.lead)) : '';
  if (!lead) return item.contentHtml;
  return `<p><strong>${escapeXml(lead)}</strong></p>${item.contentHtml}`;
}

const IMAGE_TYPES: Array<[RegExp, string]> = [
  [/\.jpe?g$/i, 'image/jpeg'],
  [/\.png$/i, 'image/png'],
  [/\.gif$/i, 'image/gif'],
  [/\.webp$/i, 'image/webp'],
  [/\.avif$/i, 'image/avif'],
  [/\.svg$/i, 'image/svg+xml'],
  [/\.bmp$/i, 'image/bmp'],
];

/**
 * MIME type of an image URL from its extension: the path's first, then any query value
 * (portals serve images as `/ViewImage?imagename=NAME.jpg`). JPEG when nothing tells.
 */
export function guessImageType(url: string): string {
  let candidates: string[] = [url];
  try {
    const parsed = new URL(url);
    candidates = [parsed.pathname, ...[...parsed.searchParams.values()]];
  } catch {
    // not absolute: match on the raw string
  }
  for (const candidate of candidates) {
    for (const [pattern, type] of IMAGE_TYPES) if (pattern.test(candidate)) return type;
  }
  return 'image/jpeg';
}
