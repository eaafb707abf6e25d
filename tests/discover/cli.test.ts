import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayPortal, type ReplayPortal } from '../../src/replay/index.js';
import { cli } from '../helpers/cli.js';
import { startSite } from '../helpers/sites.js';

describe('portalfeed discover (CLI)', () => {
  let wordpress: ReplayPortal;
  let bare: ReplayPortal;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    wordpress = await startSite('wordpress');
    bare = await startReplayPortal({
      host: '127.0.0.4',
      port: 0,
      robots: 'User-agent: *\nDisallow:\n',
      routes: { '/': { body: '<html><head><title>Đang bảo trì</title></head><body><p>Trang đang được nâng cấp.</p></body></html>' } },
    });
    dir = mkdtempSync(join(tmpdir(), 'portalfeed-discover-'));
    config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      dump({
        store: { dataDir: join(dir, 'data') },
        sources: [{ id: 'x', name: 'X', baseUrl: 'http://127.0.0.9', http: { retries: 0, delayMs: 0, timeoutMs: 5000 } }],
      }),
    );
  });
  afterAll(async () => {
    await wordpress?.close();
    await bare?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the source block, then the first N items', async () => {
    const run = await cli(['discover', wordpress.url, '--limit', '2', '--config', config]);
    expect(run.code, run.stderr).toBe(0);
    const [block, table] = run.stdout.split('\n\n');
    expect(block).toMatch(/^# paste under "sources:"/);
    expect(block).toContain(`baseUrl: ${wordpress.url}`);
    expect(block).toContain('url: /category/tin-tuc/');
    expect(table!.trim().split('\n')).toHaveLength(3);
    expect(table).toMatch(/^TITLE\s+DATE\s+AUTHOR\s+SECTION/);
  });

  it('exits 2 naming what it tried when the site has no section, sitemap or feed', async () => {
    const run = await cli(['discover', bare.url, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`no news section, sitemap or feed found at ${bare.url}`);
    expect(run.stderr).toContain('/robots.txt: no Sitemap: line');
    expect(run.stderr).toContain('/sitemap.xml: HTTP 404');
  });

  it('refuses what is not an http(s) URL (exit 2)', async () => {
    const run = await cli(['discover', 'www.quangtri.gov.vn', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not an http(s) URL');
  });
});
