import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { extractArticle } from '../../src/extract/article.js';
import { sanitizeHtml } from '../../src/extract/sanitize.js';
import { articleFixtures } from './fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const fixtures = articleFixtures();

describe('golden article fixtures', () => {
  it('has at least 15 articles with unique URLs', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    expect(new Set(fixtures.map((f) => f.expected.url)).size).toBe(fixtures.length);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, { html, expected }) => {
    const article = extractArticle(html, expected.url, { now: NOW });
    const { containsText, notContains, figures, imgs, figcaptions, tables, charset: _charset, ...fields } = expected;
    const actual = {
      url: article.url,
      canonicalUrl: article.canonicalUrl,
      title: article.title,
      publishedAt: article.publishedAt,
      modifiedAt: article.modifiedAt,
      author: article.author,
      sourceName: article.sourceName,
      lead: article.lead,
      text: article.text,
      image: article.image,
      section: article.section,
      keywords: article.keywords,
    };
    expect(actual).toEqual(fields);
    for (const snippet of containsText) expect(article.contentHtml).toContain(snippet);
    for (const snippet of notContains) expect(article.contentHtml).not.toContain(snippet);
    const $ = cheerio.load(article.contentHtml, null, false);
    expect($('figure').length).toBe(figures);
    expect($('img').length).toBe(imgs);
    if (figcaptions !== undefined) expect($('figcaption').length).toBe(figcaptions);
    if (tables !== undefined) expect($('table').length).toBe(tables);
    // Every figure holds its image; captions never leak out as paragraphs.
    $('figure').each((_i, el) => expect($(el).find('img').length).toBe(1));
    // The lead is not repeated as the body's first paragraph.
    if (article.lead) expect($('p').first().text()).not.toBe(article.lead);
    // Everything is NFC and the stored HTML is already in sanitised form.
    for (const value of [article.title, article.text, article.lead ?? '', article.author ?? '', article.contentHtml]) {
      expect(value).toBe(value.normalize('NFC'));
    }
    expect(sanitizeHtml(article.contentHtml, expected.url)).toBe(article.contentHtml);
    expect(article.trace.map((t) => t.field)).toEqual(expect.arrayContaining(['title', 'publishedAt', 'author', 'body', 'lead']));
  });
});

// Some portals print only the site's name in <title> and no og:title: the title must come from the page itself.
describe('golden fixtures with a static <title> and no og:title / JSON-LD headline', () => {
  const names = [
    'liferay/scrambled-classes',
    'liferay/seed',
    'liferay/table-layout-old',
    'liferay/sharepoint-us-date',
    'portal/nukeviet-news',
    'portal/title-middle-scrambled',
    'portal/nfd-scrambled',
    'portal/dulich-detailnews',
    'wordpress/scrambled-classes',
    'wordpress/comments-heavy',
    'blind/liferay-3cms-p-title',
    'blind/dnn-aspnet-form',
    'blind/baoquangtri-newspaper',
    'blind/nukeviet-rating-comments',
    'blind/joomla-k2-item',
    'blind2/asp-table-layout-path',
    'blind2/dnn-br-notice',
    'blind2/drupal-scrambled-long-site-title',
    'blind2/joomla-breadcrumb-ends-title',
    'blind2/liferay-dept-long-site-title',
    'blind2/newspaper-cate-label-image-table',
    'blind2/nukeviet-hidden-breadcrumb',
    'blind2/quangtri-jsonld-breadcrumb',
    'blind2/sharepoint-updated-at',
    'blind2/wordpress-jannah-newspaper',
  ];
  it.each(fixtures.filter((f) => names.includes(f.name)).map((f) => [f.name, f] as const))('%s', (_name, { html, expected }) => {
    // A short site name, and a department's name at a headline's length (10 words).
    for (const site of ['Cổng thông tin điện tử tỉnh Quảng Trị', 'Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị']) {
      const generic = html
        .replace(/<title>[\s\S]*?<\/title>/, `<title>${site}</title>`)
        .replace(/<meta[^>]+(?:og:title|twitter:title)[^>]*>/g, '')
        .replace(/"headline"\s*:\s*"[^"]*",?/g, '');
      const article = extractArticle(generic, expected.url, { now: NOW });
      expect(article.title).toBe(expected.title);
      expect(article.text).toBe(expected.text);
      expect(article.publishedAt).toBe(expected.publishedAt);
    }
  });
});

// No rule is keyed on the pages' classes: with every class and id replaced by a random token, each field still
// comes out right (breadcrumbs, titles, bylines and related boxes are read from text, links and order alone).
describe('article fixtures with every class and id scrambled', () => {
  const blind = fixtures.filter((f) => !f.expected.charset);
  it.each(blind.map((f) => [f.name, f] as const))('%s', (_name, { html, expected }) => {
    let seed = 15;
    const token = (): string => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return `x${seed.toString(36)}`;
    };
    const scrambled = html.replace(/\s(class|id)=(["'])[^"']*\2/g, (_m, attr: string) => ` ${attr}="${token()}"`);
    const article = extractArticle(scrambled, expected.url, { now: NOW });
    const fields = ['title', 'publishedAt', 'modifiedAt', 'author', 'sourceName', 'lead', 'text', 'section'] as const;
    const pick = (from: Record<(typeof fields)[number], unknown>) => Object.fromEntries(fields.map((f) => [f, from[f]]));
    expect(pick(article)).toEqual(pick(expected));
  });
});
