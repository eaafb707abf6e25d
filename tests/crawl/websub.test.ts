import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { loadReplaySite, startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { PORTAL_SITE, parseTestConfig, rawTestConfig } from '../helpers/app.js';

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

describe('WebSub', () => {
  let portal: ReplayPortal;
  let app: App;
  const pings: URLSearchParams[] = [];
  const hub = createServer((req, res) => {
    void body(req).then((text) => {
      pings.push(new URLSearchParams(text));
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    hub.listen(0, '127.0.0.1');
    await once(hub, 'listening');
    portal = await startReplayPortal({ ...loadReplaySite(PORTAL_SITE), host: '127.0.0.1', port: 0 });
    const raw = rawTestConfig(portal.url, 'embedded');
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
    const feed = { ...(raw.feed as object), websubHub: hubUrl };
    app = await createApp(parseTestConfig({ ...raw, feed }), silentLogger());
  });
  afterAll(async () => {
    await app?.close();
    await portal?.close();
    hub.close();
  });

  it('pings the hub after a run that added items, and not after one that added nothing', async () => {
    await app.crawler.run('quangtri');
    expect(pings).toHaveLength(1);
    expect(pings[0]!.get('hub.mode')).toBe('publish');
    expect(pings[0]!.getAll('hub.url')).toContain('http://feeds.test/feed.xml');
    expect(pings[0]!.getAll('hub.url')).toContain('http://feeds.test/source/quangtri/atom.xml');
    await app.crawler.run('quangtri');
    expect(pings).toHaveLength(1);
  });
});
