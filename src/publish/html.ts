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
li{margin:.4rem 0}time,.meta{color:#666;font-size:.9em}a{color:#0b57d0}`;

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

/** The service's home page in Vietnamese: feed list with autodiscovery links and the latest items. */
export function renderIndexHtml(input: IndexPageInput): string {
  const main = input.routes.filter((r) => r.kind === 'all');
  const discovery = main
    .map((r) => `<link rel="alternate" type="${MIME[r.format]}" title="${h(`${input.title} (${FORMAT_LABELS[r.format]})`)}" href="${h(r.url)}">`)
    .join('\n');
  const section = (heading: string, kind: FeedRoute['kind']): string => {
    const rows = channelRows(input.routes, kind);
    return rows ? `<h2>${heading}</h2>\n<table>\n${rows}\n</table>` : '';
  };
  return `<!doctype html>
<html lang="${h(input.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(input.title)}</title>
${discovery}
<style>${STYLE}</style>
</head>
<body>
<h1>${h(input.title)}</h1>
${input.description ? `<p>${h(input.description)}</p>` : ''}
<p>Theo dõi bằng trình đọc tin: chọn một nguồn tin dưới đây, hoặc nhập <a href="/opml.xml">danh sách OPML</a>.</p>
${section('Tổng hợp', 'all')}
${section('Theo chuyên mục', 'category')}
${section('Theo nguồn', 'source')}
<h2>Tin mới nhất</h2>
${itemList(input.latest, input.categoryNames)}
</body>
</html>
`;
}

/** Content-Security-Policy for the index page: nothing but its own inline style (by hash). */
export function indexCsp(): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
