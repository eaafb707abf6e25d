import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as cheerio from 'cheerio';
import { sanitizeHtml } from '../../src/extract/sanitize.js';

const BASE = 'https://www.quangtri.gov.vn/tin-tuc/bai-viet';
const DANGEROUS_SCHEME = /^\s*(?:javascript|vbscript|data):/i;

/** What must never survive: scripts, handlers, script URLs. Checked on the parsed output, not by regex alone. */
function assertSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<iframe|<svg|<object|<embed|<style/i);
  const $ = cheerio.load(html, null, false);
  $('*').each((_i, el) => {
    for (const [name, value] of Object.entries((el as unknown as { attribs: Record<string, string> }).attribs)) {
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      expect(name).not.toBe('style');
      if (name === 'href' || name === 'src') {
        expect(value).not.toMatch(DANGEROUS_SCHEME);
        expect(value).toMatch(/^(?:https?:|mailto:)/);
      }
    }
  });
}

const TAGS = ['p', 'div', 'span', 'a', 'img', 'script', 'iframe', 'svg', 'b', 'em', 'table', 'tr', 'td', 'ul', 'li', 'figure', 'h1', 'style', 'form', 'object', 'math', 'noscript', 'template', 'textarea', 'title'];
const ATTRS = [
  'onerror="alert(1)"', 'onclick=alert(1)', 'ONLOAD="x()"', 'style="color:red;background:url(javascript:alert(1))"',
  'href="javascript:alert(1)"', 'href="jav&#x09;ascript:alert(1)"', 'href=" &#14; javascript:alert(1)"', 'href="JaVaScRiPt:alert(1)"',
  'href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"', 'src="data:text/html;base64,PHNjcmlwdD4="',
  'href="vbscript:msgbox(1)"', 'src="/anh/a.jpg"', 'href="/tin-tuc/x"', 'href="https://example.com/?a=1&amp;b=2"', 'alt="<script>alert(1)</script>"',
  'data-src="lazy.jpg"', 'srcset="a.jpg 1x, b.jpg 2x"', 'width="1" height="1"', 'colspan="2"', 'class="x"', 'id="y"',
];
const TEXTS = ['Xin chào', '&lt;script&gt;', '&amp;', '&#x3C;script&#x3E;alert(1)', 'javascript:alert(1)', ' ', '\u00a0', 'Đảng', '<', '>', '"', "'", '<!-- c -->', '<![CDATA[x]]>', '\u0000', '\uFFFE'];

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

describe('sanitizeHtml', () => {
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
    ['picks the largest srcset entry over a placeholder', '<p><img src="data:image/gif;base64,R0l" data-srcset="s.jpg 300w, l.jpg 1200w"></p>', '<figure><img src="https://www.quangtri.gov.vn/tin-tuc/l.jpg"></figure>'],
    ['uses data-original when src is loading.gif', '<img src="/img/loading.gif" data-original="/a.jpg">', '<figure><img src="https://www.quangtri.gov.vn/a.jpg"></figure>'],
    ['drops tracking pixels', '<p>A<img src="/t.gif" width="1" height="1"><img src="https://www.google-analytics.com/collect?v=1"></p>', '<p>A</p>'],
    ['turns an image table with a caption row into a figure', '<table><tr><td><img src="/o/3cmsnew-portlet/ViewImage?imagename=a.jpg"></td></tr><tr><td><em>Chú thích ảnh</em></td></tr></table>', '<figure><img src="https://www.quangtri.gov.vn/o/3cmsnew-portlet/ViewImage?imagename=a.jpg"><figcaption>Chú thích ảnh</figcaption></figure>'],
    ['takes a centred italic line after an image as its caption', '<p><img src="/a.jpg"></p><p style="text-align:center"><em>Ảnh minh họa</em></p><p>Nội dung.</p>', '<figure><img src="https://www.quangtri.gov.vn/a.jpg"><figcaption>Ảnh minh họa</figcaption></figure><p>Nội dung.</p>'],
    ['keeps data tables with spans', '<table><tr><th colspan="2" style="x">Chỉ tiêu</th></tr><tr><td>GRDP</td><td>6,68%</td></tr></table>', '<table><tbody><tr><th colspan="2">Chỉ tiêu</th></tr><tr><td>GRDP</td><td>6,68%</td></tr></tbody></table>'],
    ['unwraps layout tables', '<table><tr><td>Đoạn văn thứ nhất khá dài nằm trong bảng bố cục.</td></tr></table>', '<p>Đoạn văn thứ nhất khá dài nằm trong bảng bố cục.</p>'],
    ['collapses white space and drops empty paragraphs', '<p>  A \n\n  B&nbsp;&nbsp;C </p><p> </p><p><br></p>', '<p>A B C</p>'],
    ['maps h1 to h2 and divs to paragraphs', '<h1>Tiêu đề</h1><div>Một <span>đoạn</span></div>', '<h2>Tiêu đề</h2><p>Một đoạn</p>'],
    // Regressions found on unseen pages.
    ['keeps every div after loose <br><br> text (no paragraph lost while wrapping runs)', '<div>Một.<br><br>Hai.<br><br><div>Ba.</div><div>Bốn.</div></div>', '<p>Một.</p><p>Hai.</p><p>Ba.</p><p>Bốn.</p>'],
    ['takes an italic line after <br> in an image paragraph as the caption', '<p style="text-align:center"><img src="/a.jpg"><br><em>Màn trình diễn</em></p>', '<figure><img src="https://www.quangtri.gov.vn/a.jpg"><figcaption>Màn trình diễn</figcaption></figure>'],
    ['unwraps table rows cut out of their table', '<tr><td><p>Đoạn một.</p></td></tr><tr><td>Đoạn hai.</td></tr>', '<p>Đoạn một.</p><p>Đoạn hai.</p>'],
    ['drops spacer lines of old layouts', '<p>A</p><p><img src="/images/line.gif" width="570" height="1"></p>', '<p>A</p>'],
    ['composes NFD text and strips XML-invalid characters', '<p>Qua\u0309ng Tri\u0323\u0001</p>', '<p>Quảng Trị</p>'],
    ['treats elements named like Object.prototype members as unknown tags', '<p>a<constructor>b</constructor><tostring>c</tostring><hasownproperty>d</hasownproperty></p>', '<p>abcd</p>'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeHtml(input, BASE)).toBe(expected);
  });
});
