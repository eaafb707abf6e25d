import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { parseDocument, parseHtmlFragment } from '../../src/extract/parse.js';
import { articleFixtures, readPage } from './fixtures.js';

/** Everything later steps read from a node: type, name, namespace, attributes, text, children. */
function shape(node: AnyNode): unknown {
  const { type } = node;
  if ('children' in node) {
    const el = node as AnyNode & { name?: string; namespace?: string; attribs?: Record<string, string>; children: AnyNode[] };
    return [type, el.name, el.namespace, el.attribs, el.children.map(shape)];
  }
  return [type, 'data' in node ? node.data : null];
}

/** The page's text as a reader meets it (script and style skipped), from the tree cheerio queries. */
const readerText = (html: string): string => {
  const $ = cheerio.load(parseDocument(html));
  $('script, style').remove();
  return $.root().text().replace(/\s+/g, ' ').trim();
};

describe('parseDocument', () => {
  it.each([...articleFixtures().map((f) => [f.name, f.html]), ['listing', readPage('listings/liferay-1.html')]])(
    'keeps every text and element the WHATWG parser (cheerio.load) finds (%s)',
    (_name, html) => {
      const whatwg = cheerio.load(html);
      const ours = cheerio.load(parseDocument(html));
      whatwg('script, style, noscript').remove();
      ours('script, style, noscript').remove();
      expect(ours.root().text().replace(/\s+/g, ' ').trim()).toBe(whatwg.root().text().replace(/\s+/g, ' ').trim());
      for (const tag of ['p', 'h1', 'h2', 'img', 'a', 'time', 'article']) expect([tag, ours(tag).length]).toEqual([tag, whatwg(tag).length]);
    },
  );

  it.each([
    ['no html, head or body', '<p>Một đoạn', '<p>Một đoạn</p>'],
    ['misnested formatting, text kept in order', '<p><b>in đậm <i>nghiêng</b> còn</i></p>', '<p><b>in đậm <i>nghiêng</i></b> còn</p>'],
    ['a block closes an open paragraph', '<p>a<br>b<div>c</div>', '<p>a<br>b</p><div>c</div>'],
    [
      'text between table rows stays in place',
      '<table><tr><td>a</td></tr>lọt ra<tr><td>b</td></tr></table>',
      '<table><tr><td>a</td></tr>lọt ra<tr><td>b</td></tr></table>',
    ],
    ['unclosed comment', '<div>trước<!-- không đóng', '<div>trước<!-- không đóng--></div>'],
    ['entities decoded', '<p>x &amp; &eacute; &#273;</p>', '<p>x &amp; é đ</p>'],
    ['element named constructor', '<constructor id="x"><valueOf>t</valueOf></constructor>', '<constructor id="x"><valueof>t</valueof></constructor>'],
  ])('parses broken markup as written: %s', (_name, html, expected) => {
    expect(
      cheerio
        .load(parseDocument(html))
        .html({ xml: false })
        .replace(/<\/br>/g, ''),
    ).toBe(expected);
  });

  it('leaves script text unparsed', () => {
    expect(readerText('<script>if (a<b) {}</script><p>t</p>')).toBe('t');
  });
});

describe('parseHtmlFragment', () => {
  it('builds the tree cheerio.load(html, null, false) builds, for any markup', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '<p>',
        '</p>',
        '<b>',
        '</i>',
        '<table><tr><td>',
        '<li>',
        '<br>',
        '<!-- c -->',
        '&amp;',
        'Đảng',
        '<script>x</script>',
        '<img src=a>',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const html = parts.join('');
        expect(shape(parseHtmlFragment(html))).toEqual(shape(cheerio.load(html, null, false).root()[0]!));
      }),
    );
  });
});
