/** Rules as data for discovery: what a menu link to a news section looks like, and what it does not. */

/** Menu labels (folded, lowercase) that never name a news section. */
export const NOT_SECTION_LABELS =
  /^(?:trang chu|home|trang nhat|gioi thieu|lien he|van ban|tim kiem|dang nhap|dang ky|dang xuat|dich vu cong|thu tuc hanh chinh|hoi dap|gop y|so do|english|tieng anh|tieng viet|rss|thu dien tu|email|webmail|lich cong tac|danh ba|cong bao|mot cua|tra cuu|about|contact|search|login|sign in|register|sitemap|documents|services|faq)\b/;

/** Where menus live: tags and class/id/role hints. */
export const MENU_TAGS = new Set(['nav', 'header', 'menu']);
export const MENU_HINT = /\b(?:menu|nav|navbar|navigation|dropdown|mega|main-?menu|top-?menu|submenu|sub-menu|menu-item)\b/;
/** Links to files are never sections. */
export const FILE_LINK = /\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|webp|svg|mp4|mp3|xml|rss|json|css|js)(?:$|\?)/i;
/** "More" links under a homepage block point at its section. Folded. */
export const MORE_LABELS = /^(?:xem (?:them|tat ca|tiep)|tat ca|more|view all|see all|doc them)\b/;

/** Well-known sitemap places tried when robots.txt names none. */
export const SITEMAP_PATHS = ['/sitemap.xml', '/sitemap_index.xml'];

export const LIMITS = {
  /** Menu links checked as possible sections. */
  sectionCandidates: 24,
  /** A section lists at least this many headlines with a date or summary. */
  sectionMinItems: 3,
  /** Child sitemaps of an index read in one pass (newest `lastmod` first). */
  childSitemaps: 10,
  /** Sitemap entries kept in memory per pass. */
  sitemapEntries: 5000,
  /** URL shapes of a sitemap sampled to find which hold articles, and pages fetched per shape. */
  sitemapShapes: 4,
  sitemapSamples: 2,
  /** Advertised feeds checked. */
  feeds: 4,
  /** A discovery is reused for this long before the crawler discovers again. */
  refreshMs: 24 * 3600_000,
} as const;
