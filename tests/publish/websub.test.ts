import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { pingHub } from '../../src/publish/websub.js';

let server: Server | null = null;
const servers: Server[] = [];

async function hub(status: number): Promise<{ url: string; received: Array<{ type: string | undefined; body: string }> }> {
  const received: Array<{ type: string | undefined; body: string }> = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ type: req.headers['content-type'], body });
      res.writeHead(status).end(status >= 400 ? 'bad topic' : '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.listening ? s.close(resolve) : resolve(undefined)))));
  server = null;
});

describe('pingHub', () => {
  it('posts hub.mode=publish with every topic as a form', async () => {
    const { url, received } = await hub(204);
    await pingHub(url, ['http://feeds.test/feed.xml', 'http://feeds.test/category/kinh-te/atom.xml'], fetch);
    expect(received).toHaveLength(1);
    expect(received[0]?.type).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(received[0]?.body);
    expect(form.get('hub.mode')).toBe('publish');
    expect(form.getAll('hub.url')).toEqual(['http://feeds.test/feed.xml', 'http://feeds.test/category/kinh-te/atom.xml']);
  });

  it('works with undici.request as the client too', async () => {
    const { url, received } = await hub(202);
    await pingHub(url, ['http://feeds.test/feed.json'], request);
    expect(new URLSearchParams(received[0]?.body).getAll('hub.url')).toEqual(['http://feeds.test/feed.json']);
    const refused = await hub(500);
    await expect(pingHub(refused.url, ['http://feeds.test/feed.json'], request)).rejects.toMatchObject({ code: 'FETCH_HTTP_STATUS', status: 500 });
  });

  it('throws a FetchError with the status when the hub refuses', async () => {
    const { url } = await hub(400);
    await expect(pingHub(url, ['http://feeds.test/feed.xml'], fetch)).rejects.toMatchObject({ code: 'FETCH_HTTP_STATUS', status: 400 });
  });

  it('throws FETCH_NETWORK when the hub does not answer, and does nothing without topics', async () => {
    const { url } = await hub(204);
    await new Promise((resolve) => server!.close(resolve));
    server = null;
    await expect(pingHub(url, ['http://feeds.test/feed.xml'], fetch)).rejects.toMatchObject({ code: 'FETCH_NETWORK' });
    await expect(pingHub(url, [], fetch)).resolves.toBeUndefined();
  });
});
