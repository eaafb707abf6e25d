import fc from 'fast-check';
import Parser from 'rss-parser';
import { parseFeed } from '@rowanmanning/feed-parser';
import { describe, expect, it } from 'vitest';
import { stripInvalidXmlChars } from '../../src/core/text.js';
import { renderAtom } from '../../src/publish/atom.js';
import { renderIndexHtml } from '../../src/publish/html.js';
import { renderJsonFeed } from '../../src/publish/json.js';
import { renderRss } from '../../src/publish/rss.js';
import { feedRoutes } from '../../src/publish/routes.js';
import { CATEGORIES, makeItem, makePublisher, PUBLIC_URL, SOURCES } from './fixtures.js';
import { MemoryStore } from './memory-store.js';

const ctx = makePublisher(new MemoryStore()).context('all', null);
const parser = new Parser();

describe('rendering robustness', () => {
  it('round-trips arbitrary titles through rss-parser (RSS and Atom) as NFC without invalid XML chars', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (raw) => {
        const title = `x${raw}x`;
        const want = stripInvalidXmlChars(title.normalize('NFC')).replace(/\r\n?/g, '\n');
        for (const xml of [renderRss([makeItem({ title })], ctx), renderAtom([makeItem({ title })], ctx)]) {
          const got = (await parser.parseString(xml)).items[0]?.title;
          expect(got?.replace(/\r\n?/g, '\n')).toBe(want);
        }
        expect(JSON.parse(renderJsonFeed([makeItem({ title })], ctx)).items[0].title).toBe(stripInvalidXmlChars(title.normalize('NFC')));
      }),
      { numRuns: 150 },
    );
  });

  it('never emits an invalid date: bad publishedAt falls back to firstSeenAt', async () => {
    const item = makeItem({ publishedAt: 'not a date', firstSeenAt: '2024-05-05T05:05:05.000Z', updatedAt: 'garbage' });
    const rss = renderRss([item], ctx);
    expect(rss).toContain('<pubDate>Sun, 05 May 2024 05:05:05 +0000</pubDate>');
    expect(rss).not.toContain('Invalid Date');
    expect(parseFeed(renderAtom([item], ctx)).items[0]?.published?.toISOString()).toBe('2024-05-05T05:05:05.000Z');
    expect(JSON.parse(renderJsonFeed([item], ctx)).items[0].date_modified).toBe('2024-05-05T05:05:05Z');
  });

  it('handles items without content, lead, image, author or categories', async () => {
    const item = makeItem({ contentHtml: '', lead: null, text: 'Chỉ có văn bản.', image: null, author: null, categories: [], sourceName: null });
    const rss = await parser.parseString(renderRss([item], ctx));
    expect(rss.items[0]?.contentSnippet).toBe('Chỉ có văn bản.');
    const atom = parseFeed(renderAtom([item], ctx));
    expect(atom.items[0]?.description).toBe('Chỉ có văn bản.');
    const json = JSON.parse(renderJsonFeed([item], ctx)).items[0];
    expect(json.tags).toBeUndefined();
    expect(json.image).toBeUndefined();
  });

  it('does not link non-http item URLs from the index page', () => {
    const html = renderIndexHtml({
      title: 'T',
      description: '',
      language: 'vi',
      publicUrl: PUBLIC_URL,
      routes: feedRoutes(PUBLIC_URL, CATEGORIES, SOURCES),
      latest: [makeItem({ url: 'javascript:alert(1)' })],
      categoryNames: new Map(),
    });
    expect(html).not.toContain('javascript:');
  });
});
