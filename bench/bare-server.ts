/**
 * The practical limit for serving a feed: node:http answering captured bytes and headers from memory,
 * with the same ETag check. Usage: node --import tsx bench/bare-server.ts <responses.json>
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Captured {
  path: string;
  etag: string;
  headers200: Record<string, string>;
  headers304: Record<string, string>;
  body: string;
}

const file = process.argv[2];
if (!file) throw new Error('usage: bare-server.ts <responses.json>');
const routes = new Map((JSON.parse(readFileSync(file, 'utf8')) as Captured[]).map((c) => [c.path, { ...c, bytes: Buffer.from(c.body, 'base64') }]));

const server = http.createServer((req, res) => {
  const route = routes.get(req.url ?? '/');
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['if-none-match'] === route.etag) {
    res.writeHead(304, route.headers304).end();
    return;
  }
  res.writeHead(200, route.headers200).end(route.bytes);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
