import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { describe, expect, it } from 'vitest';
import { exportFeeds } from '../../src/serve/export.js';
import { feedRoutes } from '../../src/serve/index.js';
import { CATEGORIES, makeItem, makePublisher, PUBLIC_URL, SOURCES } from '../publish/fixtures.js';
import { MemoryStore } from '../publish/memory-store.js';

describe('feedRoutes', () => {
  it('lists all, every category and every source in three formats', () => {
    const routes = feedRoutes(`${PUBLIC_URL}/`, CATEGORIES, SOURCES);
    expect(routes).toHaveLength((1 + CATEGORIES.length + SOURCES.length) * 3);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/feed.xml', '/atom.xml', '/feed.json', '/category/kinh-te/atom.xml', '/source/snnmt/feed.json']),
    );
    expect(routes.find((r) => r.path === '/source/snnmt/feed.xml')).toMatchObject({
      kind: 'source',
      key: 'snnmt',
      format: 'rss',
      url: `${PUBLIC_URL}/source/snnmt/feed.xml`,
      htmlUrl: 'https://snnmt.quangtri.gov.vn',
    });
  });
});

describe('exportFeeds', () => {
  it('writes every feed, the OPML, the XSL and the index page, identical to what the server serves', async () => {
    const store = new MemoryStore();
    store.put(makeItem({ title: 'Kinh tế & xã hội', categories: ['kinh-te'], sourceIds: ['snnmt'] }));
    store.put(makeItem({ categories: ['xay-dung-dang'] }));
    const publisher = makePublisher(store);
    const out = mkdtempSync(join(tmpdir(), 'pf-export-'));
    const written = await exportFeeds(publisher, out);
    expect(written).toHaveLength((1 + CATEGORIES.length + SOURCES.length) * 3 + 3);
    for (const file of [
      'feed.xml',
      'atom.xml',
      'feed.json',
      'opml.xml',
      'feed.xsl',
      'index.html',
      'category/kinh-te/feed.xml',
      'category/rong/feed.json',
      'source/snnmt/atom.xml',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const atom = parseFeed(readFileSync(join(out, 'category/kinh-te/atom.xml'), 'utf8'));
    expect(atom.items.map((i) => i.title)).toEqual(['Kinh tế & xã hội']);
    expect(JSON.parse(readFileSync(join(out, 'category/rong/feed.json'), 'utf8')).items).toEqual([]);
    const served = await publisher.get('all', null, 'rss');
    expect(readFileSync(join(out, 'feed.xml')).equals(served!.body)).toBe(true);
  });
});
