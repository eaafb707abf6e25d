// A synthetic farm of portal hosts for `npm run bench:scale`, run as its own process so its CPU and memory
// stay out of the measured `serve`. argv: <hosts> <articles per host> <delay ms per page>.
// Prints one JSON line with the host URLs; answers "stats" / "reset" messages over IPC.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const [hosts = 30, articles = 30, delayMs = 20] = process.argv.slice(2).map(Number);
const WORDS = (
  'tỉnh huyện xã phường nông dân cán bộ hội nghị dự án đường giao thông trường học bệnh viện lúa rừng biển cảng ' +
  'du lịch văn hóa lễ hội kinh tế đầu tư doanh nghiệp thuế ngân sách điện nước cầu cống mưa lũ hạn hán môi trường ' +
  'giáo dục y tế dân cư an ninh quốc phòng biên giới hợp tác phát triển kế hoạch báo cáo tổng kết khen thưởng'
).split(' ');

const stats = { robots: 0, listing200: 0, listing304: 0, article200: 0, article304: 0, other: 0 };

function words(seed: number, count: number): string {
  let x = seed * 2654435761 + 97;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x = (x * 48271 + 11) % 2147483647;
    out.push(`${WORDS[x % WORDS.length]}${x % 7 === 0 ? ` ${x % 1000}` : ''}`);
  }
  return out.join(' ');
}

function articlePage(host: number, n: number): string {
  const seed = host * 1000 + n;
  const day = String((n % 28) + 1).padStart(2, '0');
  const paragraphs = Array.from({ length: 6 }, (_, p) => `<p>${words(seed * 10 + p, 45)}.</p>`).join('\n');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bài ${n} của cổng ${host}</title></head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a></nav></header>
<main><article><h1>Bản tin ${host}-${n}: ${words(seed, 8)}</h1><div class="date">Ngày ${day}/01/2024 08:30</div>
<div class="content">${paragraphs}</div></article></main><footer>Cổng thông tin điện tử ${host}</footer></body></html>`;
}

function listingPage(count: number): string {
  const links = Array.from({ length: count }, (_, n) => `<li><a href="/tin-tuc/bai-${n}">Bản tin số ${n}: ${words(n, 6)}</a></li>`).join('\n');
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head><body><main><ul class="news">${links}</ul></main></body></html>`;
}

function send(req: IncomingMessage, res: ServerResponse, body: string, kind: 'listing' | 'article'): void {
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) {
    stats[`${kind}304`]++;
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  stats[`${kind}200`]++;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: etag }).end(body);
}

async function start(index: number): Promise<string> {
  const k = index + 2;
  const address = `127.0.${k >> 8}.${k & 255}`;
  const pages = new Map<number, string>();
  const listing = listingPage(articles);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path === '/robots.txt') {
      stats.robots++;
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
      return;
    }
    setTimeout(() => {
      if (path === '/tin-tuc') return send(req, res, listing, 'listing');
      const match = /^\/tin-tuc\/bai-(\d+)$/.exec(path);
      if (match && Number(match[1]) < articles) {
        const n = Number(match[1]);
        if (!pages.has(n)) pages.set(n, articlePage(index, n));
        return send(req, res, pages.get(n) as string, 'article');
      }
      stats.other++;
      res.writeHead(404).end('not found');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return `http://${address}:${(server.address() as AddressInfo).port}`;
}

const urls: string[] = [];
for (let i = 0; i < hosts; i++) urls.push(await start(i));
process.on('message', (message) => {
  if (message === 'stats') process.send?.({ stats: { ...stats } });
  if (message === 'reset') for (const key of Object.keys(stats) as Array<keyof typeof stats>) stats[key] = 0;
});
process.stdout.write(`${JSON.stringify({ urls })}\n`);
