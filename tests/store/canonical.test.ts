import { describe, expect, it } from 'vitest';
import { canonicalUrl, hammingDistance, identityKey, itemGuidFor, simhash64 } from '../../src/store/index.js';
import {
  ANCHOR_COUNT,
  anchorKeys,
  blockKeys,
  INDEXED_DISTANCE,
  sharedSlots,
  simhashDistance,
  simhashHex,
  textFingerprint,
} from '../../src/store/simhash.js';

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://WWW.QuangTri.gov.vn:443/tin-tuc/a#top', 'https://www.quangtri.gov.vn/tin-tuc/a'],
    ['http://quangtri.gov.vn:80/a', 'http://quangtri.gov.vn/a'],
    ['http://quangtri.gov.vn:8080/a', 'http://quangtri.gov.vn:8080/a'],
    ['https://quangtri.gov.vn/a?utm_source=fb&utm_medium=social&id=5', 'https://quangtri.gov.vn/a?id=5'],
    ['https://quangtri.gov.vn/a?fbclid=IwAR0x&zarsrc=30&gclid=1&_ga=2.1&mc_cid=9&igshid=x&ref=home', 'https://quangtri.gov.vn/a'],
    ['https://quangtri.gov.vn/a?b=2&a=1', 'https://quangtri.gov.vn/a?a=1&b=2'],
    ['https://quangtri.gov.vn/a?', 'https://quangtri.gov.vn/a'],
    ['https://quangtri.gov.vn', 'https://quangtri.gov.vn/'],
    ['https://quangtri.gov.vn/%7Euser/%61bc', 'https://quangtri.gov.vn/~user/abc'],
    ['https://quangtri.gov.vn/a%2fb', 'https://quangtri.gov.vn/a%2Fb'],
    ['https://quangtri.gov.vn/tin-tuc/ho%CC%81a', 'https://quangtri.gov.vn/tin-tuc/h%C3%B3a'],
    ['https://quangtri.gov.vn/tin-tuc/hóa', 'https://quangtri.gov.vn/tin-tuc/h%C3%B3a'],
    ['https://dulich.quangtri.gov.vn/vi/detailnews/?id=news_123&utm_campaign=x', 'https://dulich.quangtri.gov.vn/vi/detailnews/?id=news_123'],
    ['https://x.vn/o/3cmsnew-portlet/ViewImage?imagename=A.jpg', 'https://x.vn/o/3cmsnew-portlet/ViewImage?imagename=A.jpg'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('keeps meaningful parameters such as id, page and category', () => {
    expect(canonicalUrl('https://x.vn/news?page=2&id=7&category=3&ref=nav')).toBe('https://x.vn/news?category=3&id=7&page=2');
  });

  it('is idempotent', () => {
    const once = canonicalUrl('HTTP://X.vn:80/a/%7e/b?utm_x=1&z=1&a=%2C#f');
    expect(canonicalUrl(once)).toBe(once);
  });
});

describe('identityKey', () => {
  it.each([
    ['http://www.quangtri.gov.vn/tin-tuc/a', 'https://quangtri.gov.vn/tin-tuc/a/'],
    [
      'https://quangtri.gov.vn/chi-tiet-tin/-/view-article/1/13/1705668480000',
      'https://quangtri.gov.vn/chi-tiet-tin/-/view-article/1/4235/1705668480000',
    ],
    [
      'https://snnmt.quangtri.gov.vn/vi/chi-tiet-tin/-/view-article/1/99/1705668480000',
      'http://www.snnmt.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/13/1705668480000?utm_source=zalo',
    ],
  ])('%s and %s are one article', (a, b) => {
    expect(identityKey(a)).toBe(identityKey(b));
  });

  it.each([
    [
      'https://quangtri.gov.vn/chi-tiet-tin/-/view-article/1/13/1705668480000',
      'https://quangtri.gov.vn/chi-tiet-tin/-/view-article/1/13/1705668480001',
    ],
    ['https://quangtri.gov.vn/tin-tuc/a', 'https://snnmt.quangtri.gov.vn/tin-tuc/a'],
    ['https://x.vn/news?id=1', 'https://x.vn/news?id=2'],
    ['https://quangtri.gov.vn/tin-tuc/a', 'https://quangtri.gov.vn/tin-tuc/a-2'],
  ])('%s and %s stay apart', (a, b) => {
    expect(identityKey(a)).not.toBe(identityKey(b));
  });
});

describe('itemGuidFor', () => {
  it('keeps the canonical URL as guid and derives an RFC 4122 v5 UUID from it', () => {
    const { guid, id } = itemGuidFor('https://www.quangtri.gov.vn/tin-tuc/a');
    expect(guid).toBe('https://www.quangtri.gov.vn/tin-tuc/a');
    // Reference value from the `uuid` package: v5(url, v5.URL).
    expect(id).toBe('2e3205a0-0b07-5aec-84d8-6891f928fa2e');
    expect(itemGuidFor(guid).id).toBe(id);
  });
});

describe('simhash64 and hammingDistance', () => {
  const text =
    'Ban Thường vụ Tỉnh ủy tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023 và triển khai nhiệm vụ năm 2024 tại thành phố Đông Hà';

  it('is 64-bit, 16 hex digits, and identical for NFC, NFD and old/new tone placement', () => {
    const h = simhash64(text);
    expect(h >= 0n && h < 1n << 64n).toBe(true);
    expect(simhashHex(h)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash64(text.normalize('NFD'))).toBe(h);
    expect(simhash64('văn hóa thể thao và du lịch tỉnh')).toBe(simhash64('văn hoá thể thao và du lịch tỉnh'));
  });

  it.each([
    [0n, 0n, 0],
    [0n, 1n, 1],
    [0xffffffffffffffffn, 0n, 64],
    [0xf0f0n, 0x0f0fn, 16],
    [1n << 63n, 1n, 2],
  ])('hamming(%s, %s) = %i', (a, b, d) => {
    expect(hammingDistance(a, b)).toBe(d);
    expect(simhashDistance(simhashHex(a), simhashHex(b))).toBe(d);
  });

  it('permuted blocks: every fingerprint within distance 3 shares a key, a distance-4 one may not', () => {
    const a = 0x123456789abcdef0n;
    const keys = new Set(blockKeys(simhashHex(a)));
    expect(keys.size).toBe(10);
    expect(INDEXED_DISTANCE).toBe(3);
    const sharing = (b: bigint) => blockKeys(simhashHex(b)).filter((k) => keys.has(k)).length;
    // Positions 64–66 flip nothing, so the triples cover every set of at most 3 of the 64 bits.
    const bit = (n: number) => (n < 64 ? 1n << BigInt(n) : 0n);
    let unfound = 0;
    for (let i = 0; i < 67; i++)
      for (let j = i + 1; j < 67; j++) for (let k = j + 1; k < 67; k++) if (sharing(a ^ bit(i) ^ bit(j) ^ bit(k)) === 0) unfound++;
    expect(unfound).toBe(0);
    // One flipped bit in each of four of the five blocks leaves only the fifth: no pair of untouched blocks.
    expect(sharing(a ^ (1n << 63n) ^ (1n << 50n) ^ (1n << 37n) ^ (1n << 24n))).toBe(0);
    expect(blockKeys(simhashHex(a)).every((key) => /^p\d:[0-9a-f]+\.[0-9a-f]+$/.test(key))).toBe(true);
  });

  it('anchors are stable under NFD and mostly shared by a near copy', () => {
    expect(anchorKeys(text.normalize('NFD'))).toEqual(anchorKeys(text));
    expect(anchorKeys(text)).toHaveLength(ANCHOR_COUNT);
  });

  it('keeps the fingerprints already stored: same SimHash and anchors for the same text, sketch included', () => {
    const fp = textFingerprint(text);
    expect(simhashHex(fp.simhash)).toBe('6bbc780f95c8bb62');
    // Layout 2 anchors join two minima each: the four layout 1 anchors were a0:06b77cb2 a1:01b154d2 a2:02842ea1 a3:03655253.
    expect(fp.anchors.slice(0, 2)).toEqual(['m0:06b77cb201b154d2', 'm1:02842ea103655253']);
    expect(fp.anchors).toHaveLength(8);
    expect(fp.sketch).toBe('b2d2a153f867a32d48b2f98beadc8ae71569fdb649bcc8b228f506c105c4b951');
  });

  it('sketches: a near copy shares most of the 32 slots, another text almost none, a missing sketch is not comparable', () => {
    const sketch = textFingerprint(text).sketch;
    const edited = textFingerprint(text.replace('tổng kết', 'sơ kết')).sketch;
    const other = textFingerprint(
      'Sở Y tế kiểm tra công tác phòng chống dịch sốt xuất huyết tại các xã ven biển của huyện Vĩnh Linh và Gio Linh',
    ).sketch;
    expect(sharedSlots(sketch, sketch)).toBe(32);
    expect(sharedSlots(sketch, textFingerprint(text.normalize('NFD')).sketch)).toBe(32);
    expect(sharedSlots(sketch, edited)).toBeGreaterThanOrEqual(16);
    expect(sharedSlots(sketch, other)).toBeLessThanOrEqual(4);
    expect(sharedSlots(sketch, '')).toBe(-1);
    expect(textFingerprint('').sketch).toBe('');
  });
});
