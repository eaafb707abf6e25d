/** URL canonicalisation and the identity key under which URL variants of one article meet. */

/** Query parameters that only track the visitor or campaign; they never select content. */
const TRACKING_PARAMS: RegExp[] = [
  /^utm_/i,
  /^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|igshid|igsh|li_fat_id|srsltid)$/i,
  /^zarsrc\d*$/i,
  /^_(ga|gl|hsenc|hsmi|openstat)$/i,
  /^(mc_cid|mc_eid|mkt_tok|oly_enc_id|oly_anon_id|vero_id|vero_conv|wickedid|rb_clickid|s_cid|sc_cid)$/i,
  /^(pk|mtm|hsa|piwik|matomo)_/i,
  /^(fb_action_ids|fb_action_types|fb_source|fb_ref|action_object_map|action_type_map|action_ref_map)$/i,
  /^(ref|ref_src|ref_url|refsrc|referer|referrer|spm|share|shared|__s|gs_l|cmpid)$/i,
];

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Path rewrites for identityKey: URLs that differ only in a non-identifying segment map to one form. */
const IDENTITY_PATH_RULES: Array<{ pattern: RegExp; replace: string }> = [
  // Liferay 3CMS: the same article is listed under several category ids, with or without a /vi prefix.
  { pattern: /^(?:\/vi)?\/chi-tiet-tin\/-\/view-article\/1\/[^/]+\/([^/]+)\/?$/i, replace: '/chi-tiet-tin/-/view-article/1/_/$1' },
];

export function isTrackingParam(name: string): boolean {
  return TRACKING_PARAMS.some((re) => re.test(name));
}

/** %xx of unreserved characters decoded, other escapes upper-cased, non-ASCII runs NFC-normalised. */
function normalisePath(path: string): string {
  return (
    path
      // A combining mark (NFD) attaches to the letter before it, so that letter joins the run.
      .replace(/[A-Za-z]?(?:%[89a-f][0-9a-f])+/gi, (run) => {
        try {
          return encodeURIComponent(decodeURIComponent(run).normalize('NFC'));
        } catch {
          return run.toUpperCase();
        }
      })
      .replace(/%([0-7][0-9a-f])/gi, (escape, hex: string) => {
        const char = String.fromCharCode(parseInt(hex, 16));
        return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
      })
  );
}

function normaliseQuery(search: string): string {
  const params = new URLSearchParams(search);
  const kept = [...params.entries()].filter(([name]) => name !== '' && !isTrackingParam(name));
  // Stable sort: repeated names keep their relative order.
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(kept).toString();
  return query ? `?${query}` : '';
}

/** Canonical form of an absolute http(s) URL; anything unparsable is returned trimmed. */
export function canonicalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  const protocol = parsed.protocol.toLowerCase();
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const port = parsed.port && parsed.port !== DEFAULT_PORTS[protocol] ? `:${parsed.port}` : '';
  const path = normalisePath(parsed.pathname || '/');
  return `${protocol}//${host}${port}${path}${normaliseQuery(parsed.search)}`;
}

/**
 * The key under which URL variants of one article meet: canonical form without the scheme, without
 * `www.`, without a trailing slash, with site-specific non-identifying path segments folded.
 */
export function identityKey(url: string): string {
  const canonical = canonicalUrl(url);
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?.*)?$/i.exec(canonical);
  if (!match) return canonical;
  const host = (match[1] ?? '').replace(/^www\./, '');
  let path = match[2] || '/';
  for (const rule of IDENTITY_PATH_RULES) path = path.replace(rule.pattern, rule.replace);
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return `${host}${path}${match[3] ?? ''}`;
}

/**
 * Where a page's HTTP validators are kept. A listing page or feed is scoped by the source reading it: a 304 for one
 * source says nothing about whether another source has seen that page's articles.
 */
export function validatorKey(url: string, scope?: string): string {
  return scope ? `${scope} ${canonicalUrl(url)}` : canonicalUrl(url);
}
