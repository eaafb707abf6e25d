import { describe, expect, it } from 'vitest';
import { parseRobots } from '../../src/fetch/robots.js';

const GOOGLE_STYLE = `
# comment line
User-agent: *
Disallow: /admin/
Allow: /admin/public
Disallow: /*.pdf$
Disallow: /search?

User-agent: PortalFeed
User-agent: otherbot
Disallow: /private
Allow: /private/news
Crawl-delay: 3

Sitemap: https://example.gov.vn/sitemap.xml
`;

type Case = [robots: string, agent: string, path: string, allowed: boolean, why: string];

const CASES: Case[] = [
  // [robots, agent, path, allowed, why]
  ['', 'portalfeed', '/anything', true, 'empty file allows all'],
  ['User-agent: *\nDisallow: /', 'portalfeed', '/tin-tuc', false, 'disallow all'],
  ['User-agent: *\nDisallow: /', 'portalfeed', '/robots.txt', true, '/robots.txt itself is always allowed'],
  ['User-agent: *\nDisallow:', 'portalfeed', '/x', true, 'empty disallow means nothing'],
  ['Disallow: /\nUser-agent: *\nAllow: /', 'portalfeed', '/x', true, 'rules before any user-agent are ignored'],
  [GOOGLE_STYLE, 'portalfeed', '/admin/x', true, 'own group replaces the * group'],
  [GOOGLE_STYLE, 'portalfeed', '/private/x', false, 'own group disallow'],
  [GOOGLE_STYLE, 'portalfeed', '/private/news/1', true, 'longer allow wins'],
  [GOOGLE_STYLE, 'someotherbot', '/admin/x', false, 'falls back to *'],
  [GOOGLE_STYLE, 'someotherbot', '/admin/public/page', true, 'longest match allow within *'],
  [GOOGLE_STYLE, 'someotherbot', '/files/report.pdf', false, '* and $ wildcards'],
  [GOOGLE_STYLE, 'someotherbot', '/files/report.pdf?x=1', true, '$ anchors the end'],
  [GOOGLE_STYLE, 'someotherbot', '/search?q=quang-tri', false, 'query string is part of the path'],
  [GOOGLE_STYLE, 'someotherbot', '/search', true, 'no ? no match'],
  ['User-agent: portalfeed\nDisallow: /a\n\nUser-agent: portalfeed\nDisallow: /b', 'portalfeed', '/b/1', false, 'groups for the same agent merge'],
  ['User-agent: *\nDisallow: /page\nAllow: /page', 'portalfeed', '/page', true, 'equal length: allow wins'],
  ['User-agent: *\nAllow: /p\nDisallow: /page', 'portalfeed', '/page', false, 'longer disallow beats shorter allow'],
  ['User-agent: *\nDisallow: /*/chi-tiet-tin/', 'portalfeed', '/vi/chi-tiet-tin/-/view-article/1', false, 'wildcard in the middle'],
  ['User-agent: *\nDisallow: /tin-tức', 'portalfeed', '/tin-t%E1%BB%A9c/abc', false, 'non-ASCII pattern matches percent-encoded path'],
  ['User-agent: *\nDisallow: /a%3cb', 'portalfeed', '/a%3Cb', false, 'percent-escape hex case is normalised'],
  ['USER-AGENT: PORTALFEED/1.0\nDISALLOW: /x', 'portalfeed', '/x', false, 'keys and product token are case-insensitive, version ignored'],
  ['User-agent: portalfeedbot\nDisallow: /', 'portalfeed', '/x', true, 'a longer token is another crawler'],
  ['User-agent: *\r\nDisallow: /a # trailing comment\r\n', 'portalfeed', '/a', false, 'CRLF and trailing comments'],
  ['User-agent: *\nDisallow: /x.html$', 'portalfeed', '/x.html', false, '$ exact'],
  ['User-agent: *\nDisallow: /x.html$', 'portalfeed', '/x.htmlz', true, '$ exact, longer path'],
  ['User-agent: *\nDisallow: /fish*', 'portalfeed', '/fishheads', false, 'trailing * is like no wildcard'],
  ['User-agent: *\nDisallow: /a.c', 'portalfeed', '/abc', true, '. is literal'],
];

describe('parseRobots', () => {
  it.each(CASES.map(([robots, agent, path, allowed, why]) => ({ robots, agent, path, allowed, why })))(
    '$why: $agent $path → $allowed',
    ({ robots, agent, path, allowed }) => {
      expect(parseRobots(robots, agent).isAllowed(path)).toBe(allowed);
    },
  );

  it('reads crawl-delay of the chosen group and sitemaps', () => {
    const rules = parseRobots(GOOGLE_STYLE, 'portalfeed');
    expect(rules.crawlDelay).toBe(3);
    expect(rules.sitemaps).toEqual(['https://example.gov.vn/sitemap.xml']);
    expect(parseRobots(GOOGLE_STYLE, 'x').crawlDelay).toBeNull();
  });

  it('ignores what lies past the first 500 KiB (RFC 9309 §2.5)', () => {
    const padding = `# ${'x'.repeat(500 * 1024)}\n`;
    const rules = parseRobots(`User-agent: *\nDisallow: /a\n${padding}Disallow: /b\n`);
    expect(rules.isAllowed('/a')).toBe(false);
    expect(rules.isAllowed('/b')).toBe(true);
  });
});
