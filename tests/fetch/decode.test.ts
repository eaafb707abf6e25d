import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/fetch/decode.js';
import { SEED_TITLE, encodeWindows1258 } from './support.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const html = (head: string, body = SEED_TITLE): string => `<html><head>${head}</head><body>${body}</body></html>`;

describe('decodeBody', () => {
  it.each([
    ['header charset', encodeWindows1258(html('')), 'text/html; charset=windows-1258', 'windows-1258', 'header'],
    ['header alias cp1258', encodeWindows1258(html('')), 'text/html; charset=cp1258', 'windows-1258', 'header'],
    ['meta charset', encodeWindows1258(html('<meta charset="windows-1258">')), 'text/html', 'windows-1258', 'meta'],
    [
      'meta http-equiv',
      encodeWindows1258(html('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">')),
      null,
      'windows-1258',
      'meta',
    ],
    [
      'xml declaration',
      encodeWindows1258(`<?xml version="1.0" encoding="windows-1258"?><rss><title>${SEED_TITLE}</title></rss>`),
      'application/rss+xml',
      'windows-1258',
      'xml',
    ],
    ['BOM beats header', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(html(''))]), 'text/html; charset=windows-1258', 'utf-8', 'bom'],
    ['header beats meta', utf8(html('<meta charset="windows-1258">')), 'text/html; charset=utf-8', 'utf-8', 'header'],
    ['unknown header label falls through to meta', utf8(html('<meta charset="utf-8">')), 'text/html; charset=bogus', 'utf-8', 'meta'],
    ['UTF-8 bytes mislabelled Latin-1', utf8(html('')), 'text/html; charset=ISO-8859-1', 'utf-8', 'sniff'],
    ['meta utf-16 means utf-8', utf8(html('<meta charset="utf-16">')), null, 'utf-8', 'meta'],
    ['nothing declared', utf8(html('')), null, 'utf-8', 'default'],
  ])('%s', (_name, bytes, contentType, charset, via) => {
    const decoded = decodeBody(bytes, contentType);
    expect(decoded.charset).toBe(charset);
    expect(decoded.via).toBe(via);
    expect(decoded.text).toContain(SEED_TITLE);
  });

  it('normalises decomposed Vietnamese to NFC', () => {
    const decomposed = SEED_TITLE.normalize('NFD');
    expect(decomposed).not.toBe(SEED_TITLE);
    const { text } = decodeBody(utf8(decomposed), 'text/plain; charset=utf-8');
    expect(text).toBe(SEED_TITLE.normalize('NFC'));
  });

  it('keeps real Latin-1 text as Latin-1', () => {
    const bytes = Buffer.from('caf\u00e9 cr\u00e8me', 'latin1');
    expect(decodeBody(bytes, 'text/plain; charset=iso-8859-1')).toMatchObject({ text: 'café crème', via: 'header' });
  });
});
