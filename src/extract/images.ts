/** URL safety and lazy-image resolution. */
import type { Element } from 'domhandler';

const SAFE_SCHEMES = new Set(['http:', 'https:']);
const SAFE_LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Absolute http(s) URL, or null. Control characters and white space are stripped before the scheme
 * is read, so `jav&#x09;ascript:` and friends are caught as the browser would read them.
 */
export function absoluteUrl(value: string, baseUrl: string, isLink = false): string | null {
  // eslint-disable-next-line no-control-regex
  const compact = value.replace(/[\u0000-\u0020\u007F-\u009F\u00A0\u200B\uFEFF]/g, '');
  if (!compact) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  const allowed = isLink ? SAFE_LINK_SCHEMES : SAFE_SCHEMES;
  if (scheme && !allowed.has(`${scheme}:`)) return null;
  try {
    const url = new URL(value.trim(), baseUrl);
    if (!allowed.has(url.protocol)) return null;
    return url.href;
  } catch {
    return null;
  }
}

const PLACEHOLDER =
  /^data:|(?:^|[/_.-])(?:blank|spacer|pixel|transparent|loading|loader|lazy|placeholder|grey|gray|empty|1x1)(?:[._-][\w-]*)?\.(?:gif|png|jpe?g|svg|webp)(?:$|\?)/i;

const LAZY_ATTRS = ['data-src', 'data-original', 'data-lazy-src', 'data-lazy', 'data-url', 'data-actualsrc', 'data-hi-res-src', 'lazy-src'];

/** Known analytics beacons and counters. */
const BEACONS = [
  /google-analytics\.com/i,
  /googletagmanager\.com/i,
  /facebook\.com\/tr/i,
  /doubleclick\.net/i,
  /scorecardresearch/i,
  /statcounter\.com/i,
  /histats\.com/i,
  /\/(?:pixel|beacon|counter|tracking|track)(?:\.gif|\.png|\.php|\/|\?)/i,
  /[?&]utm_[a-z]+=.*\.gif/i,
];

function largestFromSrcset(srcset: string): string | null {
  let best: { url: string; size: number } | null = null;
  for (const part of srcset.split(/,\s+(?=\S)/)) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = descriptor ? parseFloat(descriptor) * (descriptor.endsWith('x') ? 1000 : 1) : 1;
    if (!best || size > best.size) best = { url, size: Number.isFinite(size) ? size : 1 };
  }
  return best?.url ?? null;
}

/** The real source of a possibly lazy image: largest srcset entry, then lazy attributes, then src. */
export function pickImageSource(img: Element, baseUrl: string): string | null {
  const a = img.attribs;
  for (const set of [a['data-srcset'], a['data-lazy-srcset'], a.srcset]) {
    const url = set ? usableSource(largestFromSrcset(set), baseUrl) : null;
    if (url) return url;
  }
  for (const name of LAZY_ATTRS) {
    const url = a[name] ? usableSource(a[name], baseUrl) : null;
    if (url) return url;
  }
  return a.src ? usableSource(a.src, baseUrl) : null;
}

/** An absolute URL for a candidate source, unless it is a placeholder. */
function usableSource(candidate: string | null | undefined, baseUrl: string): string | null {
  if (!candidate || PLACEHOLDER.test(candidate.trim())) return null;
  return absoluteUrl(candidate, baseUrl);
}

/** One pattern for all beacons: one scan of the URL instead of one per entry. */
const BEACON = new RegExp(BEACONS.map((re) => `(?:${re.source})`).join('|'), 'i');
const TINY = /^[0-2](?:px)?$/;

export function isTrackingImage(img: Element, src: string): boolean {
  const { width, height, style } = img.attribs;
  // 1x1 beacons, and spacer lines of old table layouts (570x1): nothing a reader sees as a picture.
  if (width !== undefined && TINY.test(width.trim())) return true;
  if (height !== undefined && TINY.test(height.trim())) return true;
  if (style !== undefined && /width\s*:\s*[01]px/i.test(style) && /height\s*:\s*[01]px/i.test(style)) return true;
  return BEACON.test(src);
}
