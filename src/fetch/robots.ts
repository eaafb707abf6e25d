/** robots.txt per RFC 9309, parsed by robots-parser; the per-host cache and politeness are in robots-cache.ts. */
import robotsParserModule from 'robots-parser';

// Its types declare an ES default export; the package is CommonJS, whose `module.exports` is the function.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; content past the limit is ignored. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

export interface RobotsRules {
  isAllowed(pathAndQuery: string): boolean;
  /** Crawl-delay in seconds for the chosen group (not part of RFC 9309, but widely sent). */
  readonly crawlDelay: number | null;
  readonly sitemaps: string[];
}

/** robots-parser judges full URLs of the host its file came from; rules here are per host already. */
const ORIGIN = 'http://robots.invalid';

/** Parses robots.txt and picks the groups for `agent` (product token), else those for `*`. */
export function parseRobots(text: string, agent = 'portalfeed'): RobotsRules {
  const robots = robotsParser(`${ORIGIN}/robots.txt`, text.slice(0, ROBOTS_MAX_BYTES));
  return {
    crawlDelay: robots.getCrawlDelay(agent) ?? null,
    sitemaps: robots.getSitemaps(),
    isAllowed(pathAndQuery: string): boolean {
      const path = pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`;
      // RFC 9309 §2.2.2: /robots.txt itself is always allowed.
      return path === '/robots.txt' || robots.isAllowed(`${ORIGIN}${path}`, agent) !== false;
    },
  };
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelay: null, sitemaps: [] };
export const DISALLOW_ALL: RobotsRules = {
  isAllowed: (path: string) => path === '/robots.txt',
  crawlDelay: null,
  sitemaps: [],
};
