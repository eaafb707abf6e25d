import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/core/log.js';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { parseTestConfig, rawTestConfig } from '../helpers/app.js';
import { articlePath, pagedSite } from '../helpers/paged-site.js';

/**
 * A hostile portal: of its 12 listed articles, 3 point at another port of the same host, 1 redirects there,
 * 2 redirect to file: and javascript:, 2 answer with a PDF and an image. The other port must see no request at all.
 */
describe('origin policy against a hostile portal', () => {
  let victim: ReplayPortal;
  let hostile: ReplayPortal;
  const offsiteLinks = [1, 5, 9];

  beforeAll(async () => {
    const victimSite = pagedSite(1, 12);
    victim = await startReplayPortal({ routes: victimSite.routes, host: '127.0.0.1', port: 0 });
    const site = pagedSite(1, 12, (n) => (offsiteLinks.includes(n) ? `${victim.url}${articlePath(n)}` : articlePath(n)));
    hostile = await startReplayPortal({ routes: site.routes, host: '127.0.0.1', port: 0 });
    hostile.setFault(articlePath(2), { kind: 'redirect', to: `${victim.url}${articlePath(2)}` });
    hostile.setFault(articlePath(3), { kind: 'redirect', to: 'file:///etc/passwd' });
    hostile.setFault(articlePath(4), { kind: 'redirect', to: 'javascript:alert(1)' });
    hostile.setRoute(articlePath(6), {
      body: Buffer.from('%PDF-1.7\n<html><body><h1>not a page</h1></body></html>'),
      contentType: 'application/pdf',
    });
    hostile.setRoute(articlePath(7), { body: Buffer.from('GIF89a<html>'), contentType: 'image/gif' });
  });
  afterAll(async () => {
    await hostile?.close();
    await victim?.close();
  });

  async function crawl(extra: Record<string, unknown> = {}) {
    const raw = rawTestConfig(hostile.url, 'embedded');
    const source = { ...raw.sources[0], linkPattern: '^/tin-tuc/[a-z0-9-]+$', ...extra };
    const app = await createApp(parseTestConfig({ ...raw, sources: [source] }), silentLogger());
    try {
      return await app.crawler.run('quangtri');
    } finally {
      await app.close();
    }
  }

  it('refuses every link and redirect off the source origins without a request, and counts each kind', async () => {
    const summary = await crawl();
    expect(victim.requests).toEqual([]);
    expect(summary.errors).toEqual({ offsite: 4, redirects: 2, content_type: 2 });
    expect(summary.new).toBe(4);
  });

  it('fetches the hosts listed in allowHosts', async () => {
    victim.reset();
    const summary = await crawl({ allowHosts: [new URL(victim.url).host] });
    expect(victim.count('/tin-tuc/')).toBe(4);
    expect(summary.errors).toEqual({ redirects: 2, content_type: 2 });
    expect(summary.new).toBe(8);
  });
});
