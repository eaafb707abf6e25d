import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as cheerio from 'cheerio';
import sanitize from 'sanitize-html';
import { parseHtmlFragment } from '../../src/extract/parse.js';
import { ALLOW_LIST, sanitizeHtml, serialise } from '../../src/extract/sanitize.js';

const BASE = 'https://www.quangtri.gov.vn/tin-tuc/bai-viet';
const DANGEROUS_SCHEME = /^\s*(?:javascript|vbscript|data):/i;

/** What must never survive: scripts, handlers, script URLs. Checked on the parsed output, not by regex alone. */
function assertSafe(html: string, { absolute = true } = {}): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<iframe|<svg|<object|<embed|<style/i);
  const $ = cheerio.load(html, null, false);
  $('*').each((_i, el) => {
    for (const [name, value] of Object.entries((el as unknown as { attribs: Record<string, string> }).attribs)) {
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      expect(name).not.toBe('style');
      if (name === 'href' || name === 'src') {
        expect(value).not.toMatch(DANGEROUS_SCHEME);
        if (absolute) expect(value).toMatch(/^(?:https?:|mailto:)/);
      }
    }
  });
}

const TAGS = [
  'p',
  'div',
  'span',
  'a',
  'img',
  'script',
  'iframe',
  'svg',
  'b',
  'em',
  'table',
  'tr',
  'td',
  'ul',
  'li',
  'figure',
  'h1',
  'style',
  'form',
  'object',
  'math',
  'noscript',
  'template',
  'textarea',
  'title',
];
const ATTRS = [
  'onerror="alert(1)"',
  'onclick=alert(1)',
  'ONLOAD="x()"',
  'style="color:red;background:url(javascript:alert(1))"',
  'href="javascript:alert(1)"',
  'href="jav&#x09;ascript:alert(1)"',
  'href=" &#14; javascript:alert(1)"',
  'href="JaVaScRiPt:alert(1)"',
  'href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"',
  'src="data:text/html;base64,PHNjcmlwdD4="',
  'href="vbscript:msgbox(1)"',
  'src="/anh/a.jpg"',
  'href="/tin-tuc/x"',
  'href="https://example.com/?a=1&amp;b=2"',
  'alt="<script>alert(1)</script>"',
  'data-src="lazy.jpg"',
  'srcset="a.jpg 1x, b.jpg 2x"',
  'width="1" height="1"',
  'colspan="2"',
  'class="x"',
  'id="y"',
];
const TEXTS = [
  'Xin chào',
  '&lt;script&gt;',
  '&amp;',
  '&#x3C;script&#x3E;alert(1)',
  'javascript:alert(1)',
  ' ',
  '\u00a0',
  'Đảng',
  '<',
  '>',
  '"',
  "'",
  '<!-- c -->',
  '<![CDATA[x]]>',
  '\u0000',
  '\uFFFE',
];

const fragment: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc.string({ maxLength: 12 }),
    fc
      .tuple(fc.constantFrom(...TAGS), fc.array(fc.constantFrom(...ATTRS), { maxLength: 3 }), fc.array(tie('node'), { maxLength: 4 }), fc.boolean())
      .map(([tag, attrs, kids, close]) => `<${tag}${attrs.length ? ' ' + attrs.join(' ') : ''}>${kids.join('')}${close ? `</${tag}>` : ''}`),
  ),
})).node;

/**
 * Known XSS vectors (OWASP filter-evasion cheat sheet, html5sec, mutation XSS through foreign content), with
 * what comes out: the text and the safe parts kept, the rest gone.
 */
const XSS_VECTORS: Array<[string, string, string]> = [
  ['script element', '<script>alert(1)</script>', ''],
  ['img onerror', '<img src=x onerror=alert(1)>', '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/x"></figure>'],
  ['svg onload', '<svg onload=alert(1)>', ''],
  ['script inside svg', '<svg><script>alert(1)</script></svg>', ''],
  ['javascript: link', '<a href="javascript:alert(1)">x</a>', '<p>x</p>'],
  ['mixed-case scheme', '<a href="JaVaScRiPt:alert(1)">x</a>', '<p>x</p>'],
  ['decimal entity scheme', '<a href="&#106;avascript:alert(1)">x</a>', '<p>x</p>'],
  ['hex entities and &colon;', '<a href="&#x6A;avascript&colon;alert(1)">x</a>', '<p>x</p>'],
  [
    'zero-padded entities without semicolons',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<p>x</p>',
  ],
  ['tab inside the scheme', '<a href="jav\tascript:alert(1)">x</a>', '<p>x</p>'],
  ['encoded newline inside the scheme', '<a href="jav&#x0A;ascript:alert(1)">x</a>', '<p>x</p>'],
  ['encoded carriage return in an image source', '<IMG SRC="jav&#x0D;ascript:alert(1);">', ''],
  ['leading space and control character', '<a href=" &#14; javascript:alert(1)">x</a>', '<p>x</p>'],
  ['entity for the colon', '<a href="javascript&#58;alert(1)">x</a>', '<p>x</p>'],
  ['vbscript: link', '<a href="vbscript:msgbox(1)">x</a>', '<p>x</p>'],
  ['data: HTML link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', '<p>x</p>'],
  ['data: SVG image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">', ''],
  ['javascript: image, unquoted', "<IMG SRC=JaVaScRiPt:alert('XSS')>", ''],
  [
    'backtick-quoted source',
    '<img src=`javascript:alert(1)`>',
    '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/%60javascript:alert(1)%60"></figure>',
  ],
  ['iframe javascript:', '<iframe src="javascript:alert(1)"></iframe>', ''],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>', ''],
  ['object data', '<object data="javascript:alert(1)"></object>', ''],
  ['embed', '<embed src="data:text/html,<script>alert(1)</script>">', ''],
  ['body onload', '<body onload=alert(1)>text', '<p>text</p>'],
  ['frameset onload', '<frameset onload=alert(1)>', ''],
  ['style url()', '<div style="background:url(javascript:alert(1))">x</div>', '<p>x</p>'],
  ['style expression()', '<div style="width: expression(alert(1))">x</div>', '<p>x</p>'],
  ['style element import', "<style>@import 'javascript:alert(1)';</style>", ''],
  ['mXSS through math and style', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ''],
  [
    'mXSS through noscript',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/x"></figure><p>"&gt;</p>',
  ],
  [
    'mXSS through select and style',
    '<select><style></select><img src=x onerror=alert(1)></style>',
    '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/x"></figure>',
  ],
  ['button formaction', '<form><button formaction=javascript:alert(1)>x</button></form>', ''],
  ['input autofocus', '<input onfocus=alert(1) autofocus>', ''],
  ['details ontoggle', '<details open ontoggle=alert(1)>x</details>', '<p>x</p>'],
  ['marquee onstart', '<marquee onstart=alert(1)>x</marquee>', '<p>x</p>'],
  ['video source onerror', '<video><source onerror=alert(1)></video>', ''],
  ['svg animate onbegin', '<svg><animate onbegin=alert(1) attributeName=x dur=1s>', ''],
  ['svg xlink:href', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ''],
  ['handler on an allowed link', '<a href="https://ok.example/" onmouseover="alert(1)">x</a>', '<p><a href="https://ok.example/">x</a></p>'],
  ['handler on an allowed image', '<img src="/a.jpg" onload="alert(1)">', '<figure><img src="https://www.quangtri.gov.vn/a.jpg"></figure>'],
  ['broken quotes before a script', '<img """><script>alert(1)</script>">', '<p>"&gt;</p>'],
  ['nested split script', '<scr<script>ipt>alert(1)</scr</script>ipt>', '<p>ipt&gt;alert(1)ipt&gt;</p>'],
  ['doubled angle brackets', '<<script>script>alert(1)<</script>/script>', '<p>&lt;/script&gt;</p>'],
  ['meta refresh', '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1)">', ''],
  ['base href', '<base href="javascript:alert(1)//"><a href="x">x</a>', '<p><a href="https://www.quangtri.gov.vn/tin-tuc/x">x</a></p>'],
  ['link stylesheet', '<link rel=stylesheet href="javascript:alert(1)">', ''],
  [
    'table background',
    '<table background="javascript:alert(1)"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>',
    '<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></tbody></table>',
  ],
  ['template content', '<template><script>alert(1)</script></template>', ''],
  ['xmp raw text', '<xmp><script>alert(1)</script></xmp>', ''],
  ['textarea raw text', '<textarea><script>alert(1)</script></textarea>', ''],
  ['escaped markup in text stays text', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  [
    'attribute breaking out of alt',
    '<img src="/a.jpg" alt="&quot; onerror=&quot;alert(1)">',
    '<figure><img src="https://www.quangtri.gov.vn/a.jpg" alt="&quot; onerror=&quot;alert(1)"></figure>',
  ],
  ['markup in a comment', '<!--<img src=x onerror=alert(1)>--><p>a</p>', '<p>a</p>'],
  ['CDATA section', '<![CDATA[<script>alert(1)</script>]]>', '<p>alert(1)]]&gt;</p>'],
  ['isindex action', '<isindex action=javascript:alert(1) type=image>', ''],
  ['eval of src', '<img src=x:alert(alt) onerror=eval(src) alt=0>', ''],
  ['srcset with a script URL', '<img srcset="javascript:alert(1) 1x">', ''],
  ['namespaced element', '<x:script>alert(1)</x:script>', ''],
  ['plaintext element', '<plaintext><script>alert(1)</script>', ''],
  ['noembed', '<noembed><img src=x onerror=alert(1)></noembed>', ''],
];

describe('sanitizeHtml', () => {
  it.each(XSS_VECTORS)('stops a known XSS vector: %s', (_label, input, expected) => {
    const out = sanitizeHtml(input, BASE);
    expect(out).toBe(expected);
    assertSafe(out);
    expect(sanitizeHtml(out, BASE)).toBe(out);
  });

  it.each(XSS_VECTORS)('the allow-list alone (sanitize-html, no reshaping) stops %s', (_label, input) => {
    assertSafe(sanitize(input, ALLOW_LIST), { absolute: false });
  });

  it('applies the allow-list when serialising a tree the reshaping passes never saw', () => {
    const root = parseHtmlFragment(
      '<p onclick="x()" style="color:red">a<script>alert(1)</script><a href="javascript:alert(1)">b</a><img src="x" onerror="y"><span class="c">d</span></p>',
    );
    expect(serialise({ baseUrl: BASE }, root)).toBe('<p>ab<img src="x">d</p>');
  });

  it('never lets scripts, handlers or script URLs through, and is idempotent (generated markup)', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 6 }), (parts) => {
        const out = sanitizeHtml(parts.join(''), BASE);
        assertSafe(out);
        expect(sanitizeHtml(out, BASE)).toBe(out);
      }),
      { numRuns: 400 },
    );
  });

  it('is safe and idempotent on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const out = sanitizeHtml(input, BASE);
        assertSafe(out);
        expect(sanitizeHtml(out, BASE)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['drops scripts and handlers', '<p onclick="x()">A<script>alert(1)</script></p>', '<p>A</p>'],
    ['resolves relative links against the page path', '<p><a href="../a?b=1">x</a></p>', '<p><a href="https://www.quangtri.gov.vn/a?b=1">x</a></p>'],
    ['removes obfuscated javascript: links but keeps their text', '<p><a href="jav&#x09;ascript:alert(1)">xem</a></p>', '<p>xem</p>'],
    [
      'picks the largest srcset entry over a placeholder',
      '<p><img src="data:image/gif;base64,R0l" data-srcset="s.jpg 300w, l.jpg 1200w"></p>',
      '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/l.jpg"></figure>',
    ],
    [
      'uses data-original when src is loading.gif',
      '<img src="/img/loading.gif" data-original="/a.jpg">',
      '<figure><img src="https://www.quangtri.gov.vn/a.jpg"></figure>',
    ],
    ['drops tracking pixels', '<p>A<img src="/t.gif" width="1" height="1"><img src="https://www.google-analytics.com/collect?v=1"></p>', '<p>A</p>'],
    [
      'turns an image table with a caption row into a figure',
      '<table><tr><td><img src="/o/3cmsnew-portlet/ViewImage?imagename=a.jpg"></td></tr><tr><td><em>Chú thích ảnh</em></td></tr></table>',
      '<figure><img src="https://www.quangtri.gov.vn/o/3cmsnew-portlet/ViewImage?imagename=a.jpg"><figcaption>Chú thích ảnh</figcaption></figure>',
    ],
    [
      'takes a centred italic line after an image as its caption',
      '<p><img src="/a.jpg"></p><p style="text-align:center"><em>Ảnh minh họa</em></p><p>Nội dung.</p>',
      '<figure><img src="https://www.quangtri.gov.vn/a.jpg"><figcaption>Ảnh minh họa</figcaption></figure><p>Nội dung.</p>',
    ],
    [
      'keeps data tables with spans',
      '<table><tr><th colspan="2" style="x">Chỉ tiêu</th></tr><tr><td>GRDP</td><td>6,68%</td></tr></table>',
      '<table><tbody><tr><th colspan="2">Chỉ tiêu</th></tr><tr><td>GRDP</td><td>6,68%</td></tr></tbody></table>',
    ],
    [
      'unwraps layout tables',
      '<table><tr><td>Đoạn văn thứ nhất khá dài nằm trong bảng bố cục.</td></tr></table>',
      '<p>Đoạn văn thứ nhất khá dài nằm trong bảng bố cục.</p>',
    ],
    ['collapses white space and drops empty paragraphs', '<p>  A \n\n  B&nbsp;&nbsp;C </p><p> </p><p><br></p>', '<p>A B C</p>'],
    ['maps h1 to h2 and divs to paragraphs', '<h1>Tiêu đề</h1><div>Một <span>đoạn</span></div>', '<h2>Tiêu đề</h2><p>Một đoạn</p>'],
    // Regressions found on unseen pages.
    [
      'keeps every div after loose <br><br> text (no paragraph lost while wrapping runs)',
      '<div>Một.<br><br>Hai.<br><br><div>Ba.</div><div>Bốn.</div></div>',
      '<p>Một.</p><p>Hai.</p><p>Ba.</p><p>Bốn.</p>',
    ],
    [
      'takes an italic line after <br> in an image paragraph as the caption',
      '<p style="text-align:center"><img src="/a.jpg"><br><em>Màn trình diễn</em></p>',
      '<figure><img src="https://www.quangtri.gov.vn/a.jpg"><figcaption>Màn trình diễn</figcaption></figure>',
    ],
    [
      'unwraps table rows cut out of their table',
      '<tr><td><p>Đoạn một.</p></td></tr><tr><td>Đoạn hai.</td></tr>',
      '<p>Đoạn một.</p><p>Đoạn hai.</p>',
    ],
    ['drops spacer lines of old layouts', '<p>A</p><p><img src="/images/line.gif" width="570" height="1"></p>', '<p>A</p>'],
    ['composes NFD text and strips XML-invalid characters', '<p>Qua\u0309ng Tri\u0323\u0001</p>', '<p>Quảng Trị</p>'],
    [
      'treats elements named like Object.prototype members as unknown tags',
      '<p>a<constructor>b</constructor><tostring>c</tostring><hasownproperty>d</hasownproperty></p>',
      '<p>abcd</p>',
    ],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeHtml(input, BASE)).toBe(expected);
  });
});
