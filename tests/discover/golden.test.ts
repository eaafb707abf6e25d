import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load as parseYaml } from 'js-yaml';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { discoverReport } from '../../src/discover/index.js';
import type { ReplayPortal } from '../../src/replay/index.js';
import { testClient } from '../fetch/support.js';
import { SITE_FAMILIES, SITES_DIR, startSite, type SiteFamily } from '../helpers/sites.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The served origin varies with the port: goldens say {{origin}}, as the fixture files do. */
const normalise = (text: string, origin: string) => text.replaceAll(origin, '{{origin}}');

describe.each(SITE_FAMILIES)('portalfeed discover on the %s fixture site', (family: SiteFamily) => {
  let site: ReplayPortal;
  beforeAll(async () => {
    site = await startSite(family);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('prints the golden source block and preview', async () => {
    const { client } = testClient();
    try {
      const report = await discoverReport(site.url, { http: client, logger: silentLogger(), now: () => NOW }, { limit: 10 });
      expect(report.found).toBe(true);
      const text = normalise(report.text, site.url);
      const golden = join(SITES_DIR, family, 'discover.expected.txt');
      if (UPDATE || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));

      // The block is ready to paste: it is YAML that the config schema accepts as a source.
      const block = parseYaml(report.text.split('\n\n')[0]!) as unknown[];
      const config = parseConfig({ sources: block }, { file: '/etc/portalfeed/config.yaml', env: {}, cwd: '/srv' });
      expect(config.sources[0]!.baseUrl).toBe(site.url);
    } finally {
      await client.close();
    }
  });
});
