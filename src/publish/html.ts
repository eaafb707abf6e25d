import { createHash } from 'node:crypto';
import type { Item } from '../core/types.js';
import { itemPublished } from './context.js';
import type { FeedRoute } from './routes.js';
import { escapeXml } from './xml.js';

export interface IndexPageInput {
  title: string;
  description: string;
  language: string;
  publicUrl: string;
  routes: FeedRoute[];
  latest: Item[];
  /** Label for each category slug shown next to items. */
  categoryNames: Map<string, string>;
}

const FORMAT_LABELS = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;
const MIME = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' } as const;

const STYLE = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;border-bottom:1px solid #eee;text-align:left}
li{margin:.4rem 0}time,.meta{color:#666;font-size:.9em}a{color:#0b57d0}
.subscribe{background:#f3f6fb;border:1px solid #d5deeb;border-radius:.5rem;padding:.8rem 1rem;margin:1rem 0}
.subscribe input{width:100%;box-sizing:border-box;font:1em ui-monospace,monospace;padding:.4rem;margin:.3rem 0}`;

const h = escapeXml;

function channelRows(routes: FeedRoute[], kind: FeedRoute['kind']): string {
  const byChannel = new Map<string, FeedRoute[]>();
  for (const route of routes.filter((r) => r.kind === kind)) {
    const list = byChannel.get(route.key ?? '') ?? [];
    list.push(route);
    byChannel.set(route.key ?? '', list);
  }
  return [...byChannel.values()]
    .map((list) => {
      const links = list.map((r) => `<a href="${h(r.path)}">${FORMAT_LABELS[r.format]}</a>`).join(' · ');
      return `<tr><td>${h(list[0]?.label ?? '')}</td><td>${links}</td></tr>`;
    })
    .join('\n');
}

function itemList(items: Item[], names: Map<string, string>): string {
  if (!items.length) return '<p>Chưa có tin nào.</p>';
  const rows = items.map((item) => {
    const date = itemPublished(item);
    const href = /^https?:\/\//i.test(item.url) ? item.url : '#';
    const cats = item.categories.map((slug) => h(names.get(slug) ?? slug)).join(', ');
    return (
      `<li><a href="${h(href)}" rel="noopener noreferrer">${h(item.title)}</a><br>` +
      `<time datetime="${h(date.toISOString())}">${h(date.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }))}</time>` +
      (cats ? ` <span class="meta">— ${cats}</span>` : '') +
      '</li>'
    );
  });
  return `<ol>\n${rows.join('\n')}\n</ol>`;
}

/** Autodiscovery links for a channel's formats. */
function discoveryLinks(routes: FeedRoute[], title: string): string {
  return routes
    .map((r) => `<link rel="alternate" type="${MIME[r.format]}" title="${h(`${title} (${FORMAT_LABELS[r.format]})`)}" href="${h(r.url)}">`)
    .join('\n');
}

/** The document around a page's body: head with autodiscovery and the one inline style (the CSP allows it by hash), title and description. */
function htmlPage(page: {
  language: string;
  title: string;
  heading: string;
  description: string;
  alternates: FeedRoute[];
  head?: string;
  body: string;
}): string {
  return `<!doctype html>
<html lang="${h(page.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.head ?? ''}<title>${h(page.title)}</title>
${discoveryLinks(page.alternates, page.heading)}
<style>${STYLE}</style>
</head>
<body>
<h1>${h(page.heading)}</h1>
${page.description ? `<p>${h(page.description)}</p>` : ''}
${page.body}
</body>
</html>
`;
}

/** The service's home page in Vietnamese: feed list with autodiscovery links and the latest items. */
export function renderIndexHtml(input: IndexPageInput): string {
  const section = (heading: string, kind: FeedRoute['kind']): string => {
    const rows = channelRows(input.routes, kind);
    return rows ? `<h2>${heading}</h2>\n<table>\n${rows}\n</table>` : '';
  };
  return htmlPage({
    language: input.language,
    title: input.title,
    heading: input.title,
    description: input.description,
    alternates: input.routes.filter((r) => r.kind === 'all'),
    body: `<p>Theo dõi bằng trình đọc tin: chọn một nguồn tin dưới đây, hoặc nhập <a href="/opml.xml">danh sách OPML</a>.</p>
${section('Tổng hợp', 'all')}
${section('Theo chuyên mục', 'category')}
${section('Theo nguồn', 'source')}
<h2>Tin mới nhất</h2>
${itemList(input.latest, input.categoryNames)}`,
  });
}

/** Content-Security-Policy for the index page: nothing but its own inline style (by hash). */
export function indexCsp(): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export interface FeedPreviewInput {
  /** The channel (feed title and description). */
  title: string;
  description: string;
  language: string;
  /** The format asked for and the URL a reader should be given (with its query, if any). */
  format: FeedRoute['format'];
  url: string;
  /** The same channel in every format. */
  formats: FeedRoute[];
  /** The service's home page and OPML list. */
  homeUrl: string;
  items: Item[];
  categoryNames: Map<string, string>;
}

const FORMAT_NAMES = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' } as const;

/** What a browser gets at a feed URL: what the feed is, the address to copy into a reader, its other formats and its latest items. */
export function renderFeedPreview(input: FeedPreviewInput): string {
  const others = input.formats
    .filter((r) => r.format !== input.format)
    .map((r) => `<li>${FORMAT_NAMES[r.format]}: <a href="${h(r.url)}">${h(r.url)}</a></li>`)
    .join('\n');
  return htmlPage({
    language: input.language,
    title: `${input.title} (${FORMAT_LABELS[input.format]})`,
    heading: input.title,
    description: input.description,
    alternates: input.formats,
    head: '<meta name="robots" content="noindex">\n',
    body: `<div class="subscribe">
<p>Đây là một nguồn tin ${FORMAT_NAMES[input.format]} (feed): trình duyệt hiển thị bản xem trước này, còn trình đọc tin
(Feedly, Inoreader, Miniflux, FreshRSS, NetNewsWire, newsboat…) nhận bản tin gốc. Để theo dõi, sao chép địa chỉ dưới đây vào trình đọc tin:</p>
<label>Địa chỉ nguồn tin <input type="text" readonly value="${h(input.url)}"></label>
<p class="meta" lang="en">This is a news feed. Copy its address into a feed reader to subscribe.</p>
</div>
${others ? `<h2>Định dạng khác</h2>\n<ul>\n${others}\n</ul>` : ''}
<h2>Tin mới nhất</h2>
${itemList(input.items, input.categoryNames)}
<p><a href="${h(input.homeUrl)}">Tất cả nguồn tin</a> · <a href="${h(input.homeUrl.replace(/\/?$/, '/opml.xml'))}">Danh sách OPML</a></p>`,
  });
}
