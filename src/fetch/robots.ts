/** robots.txt per RFC 9309: groups by product token, longest-match Allow/Disallow, `*` and `$` wildcards. */

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; content past the limit is ignored. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelay: number | null;
}

export interface RobotsRules {
  isAllowed(pathAndQuery: string): boolean;
  /** Crawl-delay in seconds for the chosen group (not part of RFC 9309, but widely sent). */
  readonly crawlDelay: number | null;
  readonly sitemaps: string[];
}

/** Line keys we understand, with the common misspellings crawlers accept. */
const KEY_ALIASES: Record<string, 'user-agent' | 'allow' | 'disallow' | 'sitemap' | 'crawl-delay'> = {
  'user-agent': 'user-agent',
  useragent: 'user-agent',
  'user agent': 'user-agent',
  allow: 'allow',
  disallow: 'disallow',
  dissallow: 'disallow',
  dissalow: 'disallow',
  disalow: 'disallow',
  sitemap: 'sitemap',
  'site-map': 'sitemap',
  'crawl-delay': 'crawl-delay',
};

/** Percent-encodes non-ASCII and normalises the hex case of existing escapes, for both paths and patterns. */
export function normalisePath(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp > 0x7e || cp < 0x21 ? encodeURIComponent(ch) : ch;
  }
  return out.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

function compile(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`);
}

function productToken(value: string): string {
  if (value.trim() === '*') return '*';
  return (/^[A-Za-z_-]+/.exec(value.trim())?.[0] ?? '').toLowerCase();
}

function parseGroups(text: string): { groups: Group[]; sitemaps: string[] } {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.slice(0, ROBOTS_MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = KEY_ALIASES[line.slice(0, colon).trim().toLowerCase()];
    const value = line.slice(colon + 1).trim();
    if (key === 'sitemap') {
      if (value) sitemaps.push(value);
      continue;
    }
    if (key === 'user-agent') {
      if (!lastWasAgent || !current) {
        current = { agents: [], rules: [], crawlDelay: null };
        groups.push(current);
      }
      current.agents.push(productToken(value));
      lastWasAgent = true;
      continue;
    }
    if (!key) continue;
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelay = seconds;
    } else if (value) {
      const pattern = normalisePath(value);
      current.rules.push({ allow: key === 'allow', pattern, regex: compile(pattern) });
    }
  }
  return { groups, sitemaps };
}

/** Octets that count for "most specific": the pattern length without the end anchor. */
function specificity(rule: Rule): number {
  return rule.pattern.length;
}

/** Parses robots.txt and picks the groups for `agent` (product token), else those for `*`. */
export function parseRobots(text: string, agent = 'portalfeed'): RobotsRules {
  const { groups, sitemaps } = parseGroups(text);
  const token = agent.toLowerCase();
  let chosen = groups.filter((g) => g.agents.includes(token));
  if (chosen.length === 0) chosen = groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== null);
  return {
    crawlDelay: delays.length ? Math.max(...delays) : null,
    sitemaps,
    isAllowed(pathAndQuery: string): boolean {
      const path = normalisePath(pathAndQuery || '/');
      if (path === '/robots.txt') return true;
      let best: Rule | null = null;
      for (const rule of rules) {
        if (!rule.regex.test(path)) continue;
        if (!best || specificity(rule) > specificity(best) || (specificity(rule) === specificity(best) && rule.allow)) {
          best = rule;
        }
      }
      return best ? best.allow : true;
    },
  };
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelay: null, sitemaps: [] };
export const DISALLOW_ALL: RobotsRules = {
  isAllowed: (path: string) => path === '/robots.txt',
  crawlDelay: null,
  sitemaps: [],
};
