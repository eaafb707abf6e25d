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

describe('parseDocument', () => {
  it.each([...articleFixtures().map((f) => [f.name, f.html]), ['listing', readPage('listings/liferay-1.html')]])(
    'builds the tree cheerio.load builds (%s)',
    (_name, html) => {
      expect(shape(parseDocument(html))).toEqual(shape(cheerio.load(html).root()[0]!));
    },
  );

  it.each([
    ['no html, head or body', '<p>Một đoạn'],
    ['misnested formatting', '<p><b>in đậm <i>nghiêng</b> còn</i></p>'],
    ['table foster-parenting', '<table><tr><td>a</td></tr>lọt ra<tr><td>b</td></tr></table>'],
    ['unclosed comment', '<div>trước<!-- không đóng'],
    ['noscript (scripting on)', '<noscript><img src="a.jpg"></noscript>'],
    ['element named constructor', '<constructor id="x"><valueOf>t</valueOf></constructor>'],
  ])('builds the tree cheerio.load builds for broken markup: %s', (_name, html) => {
    expect(shape(parseDocument(html))).toEqual(shape(cheerio.load(html).root()[0]!));
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
