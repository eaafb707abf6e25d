import { describe, expect, it } from 'vitest';
import { DATE_LAYOUTS, YEAR_NEEDED, dateFromUrlEpoch, parseDate, provenOrder } from '../../src/extract/dates.js';

const NOW = new Date('2025-06-01T00:00:00Z');

// [input, expected ISO (UTC) or null]; local times are UTC+7.
const CASES: Array<[string, string | null]> = [
  ['19:48, Thứ Sáu, 19-1-2024', '2024-01-19T12:48:00.000Z'],
  ['3 March 2024', '2024-03-02T17:00:00.000Z'],
  ['By Jane Doe · 3 March 2024', '2024-03-02T17:00:00.000Z'],
  ['3. März 2024, 10:22 Uhr', '2024-03-03T03:22:00.000Z'],
  ['1 okt. 2022', '2022-09-30T17:00:00.000Z'],
  ['12 Mai 2023 um 08:15', '2023-05-12T01:15:00.000Z'],
  ['Juni 2024', null],
  ['19:48, thứ sáu, 19-1-2024', '2024-01-19T12:48:00.000Z'],
  ['19:48, THỨ SÁU, 19-01-2024', '2024-01-19T12:48:00.000Z'],
  ['19:48, Thu Sau, 19-1-2024', '2024-01-19T12:48:00.000Z'],
  ['19:48, Thứ 6, 19-1-2024', '2024-01-19T12:48:00.000Z'],
  ['19:48, T6, 19-1-2024', '2024-01-19T12:48:00.000Z'],
  ['Thứ Năm, 18/01/2024 - 14:20', '2024-01-18T07:20:00.000Z'],
  ['Thứ Bảy, 20/01/2024 08:05', '2024-01-20T01:05:00.000Z'],
  ['Thứ bảy, 20/01/2024, 08:05', '2024-01-20T01:05:00.000Z'],
  ['Chủ nhật, 21/01/2024 - 07:00', '2024-01-21T00:00:00.000Z'],
  ['CN, 21/01/2024 07:00', '2024-01-21T00:00:00.000Z'],
  ['Chu nhat, 21/1/2024 7:00', '2024-01-21T00:00:00.000Z'],
  ['Thứ Hai, 22/01/2024 09:30', '2024-01-22T02:30:00.000Z'],
  ['Thứ 2, 22/01/2024 09:30', '2024-01-22T02:30:00.000Z'],
  ['T2, 22/01/2024 09:30', '2024-01-22T02:30:00.000Z'],
  ['Thứ Ba, 23/01/2024', '2024-01-22T17:00:00.000Z'],
  ['Thứ Tư, 24/01/2024 10:00', '2024-01-24T03:00:00.000Z'],
  ['20/01/2024 08:05', '2024-01-20T01:05:00.000Z'],
  ['20/01/2024 - 08:05', '2024-01-20T01:05:00.000Z'],
  ['08:05 20/01/2024', '2024-01-20T01:05:00.000Z'],
  ['05:07 29/05/2015', '2015-05-28T22:07:00.000Z'],
  ['8h05 ngày 20/01/2024', '2024-01-20T01:05:00.000Z'],
  ['Ngày 20/01/2024', '2024-01-19T17:00:00.000Z'],
  ['Cập nhật: 20/01/2024 08:05', '2024-01-20T01:05:00.000Z'],
  ['Cập nhật lúc 08:05, 20/01/2024', '2024-01-20T01:05:00.000Z'],
  ['Đăng ngày 20.01.2024', '2024-01-19T17:00:00.000Z'],
  ['Đăng ngày: 20/01/24 08:05', '2024-01-20T01:05:00.000Z'],
  ['ngày 19 tháng 1 năm 2024', '2024-01-18T17:00:00.000Z'],
  ['11/24/2023 3:18:29 PM', '2023-11-24T08:18:29.000Z'],
  ['1/5/2024 9:00:00 AM', '2024-01-05T02:00:00.000Z'],
  ['12/1/2024 12:30:00 AM', '2024-11-30T17:30:00.000Z'],
  // The weekday settles d/m against m/d: 2 May 2024 was a Thursday, 5 Feb 2024 a Monday.
  ['Thứ Năm, 05/02/2024', '2024-05-01T17:00:00.000Z'],
  ['Thứ Hai, 05/02/2024', '2024-02-04T17:00:00.000Z'],
  ['Thứ Năm, 5/2/2024 10:00', '2024-05-02T03:00:00.000Z'],
  ['2024-01-19T19:48:00+07:00', '2024-01-19T12:48:00.000Z'],
  ['2024-01-19T12:48:00Z', '2024-01-19T12:48:00.000Z'],
  ['2024-01-19T12:48:00.123+00:00', '2024-01-19T12:48:00.000Z'],
  ['2024-01-19T05:48:00-0700', '2024-01-19T12:48:00.000Z'],
  ['2024-01-19 19:48:00', '2024-01-19T12:48:00.000Z'],
  ['2024-01-19', '2024-01-18T17:00:00.000Z'],
  // NukeViet's article:published_time: PHP's `T` prints the zone abbreviation where ISO puts `T`.
  ['2024-01-18ICT14:20:00', '2024-01-18T07:20:00.000Z'],
  ['2024-01-19ICT08:02:41', '2024-01-19T01:02:41.000Z'],
  ['2024-01-18UTC07:20:00', '2024-01-18T07:20:00.000Z'],
  ['Cập nhật lúc: 15:30 ngày 12/09/2023', '2023-09-12T08:30:00.000Z'],
  ['Chủ nhật, 05/05/2024 | 07:30', '2024-05-05T00:30:00.000Z'],
  ['(Cập nhật: 15/03/2024 08:15)', '2024-03-15T01:15:00.000Z'],
  ['03/06/2024 09:12:45', '2024-06-03T02:12:45.000Z'],
  ['14 giờ 20 phút, ngày 18/01/2024', '2024-01-18T07:20:00.000Z'],
  ['13 Tháng Sáu, 2024', '2024-06-12T17:00:00.000Z'],
  ['Thứ Năm, 18 Tháng Một, 2024', '2024-01-17T17:00:00.000Z'],
  ['20 tháng 1, 2024 lúc 8:05 sáng', '2024-01-20T01:05:00.000Z'],
  ['20 tháng 1, 2024 lúc 3:05 chiều', '2024-01-20T08:05:00.000Z'],
  ['January 18, 2024', '2024-01-17T17:00:00.000Z'],
  ['2024/01/18 14:20', '2024-01-18T07:20:00.000Z'],
  // Impossible, too old, too far in the future, or no date at all.
  ['31/02/2024', null],
  ['30/02/2024 10:00', null],
  ['25:00 20/01/2024', '2024-01-19T17:00:00.000Z'],
  ['20/13/2024', null],
  ['01/01/1985', null],
  ['2030-01-01T00:00:00+07:00', null],
  ['Lượt xem: 1.024', null],
  ['Không có ngày', null],
  ['', null],
];

describe('parseDate', () => {
  it.each(CASES)('%s → %s', (input, expected) => {
    expect(parseDate(input, { now: NOW })?.iso ?? null).toBe(expected);
  });

  it('names the layout and notes a weekday that agrees with neither order', () => {
    expect(parseDate('19:48, Thứ Sáu, 19-1-2024', { now: NOW })?.rule).toBe('time-weekday-date');
    expect(parseDate('11/24/2023 3:18:29 PM', { now: NOW })?.rule).toBe('date-time:mdy');
    const mismatch = parseDate('Thứ Ba, 05/02/2024', { now: NOW });
    expect(mismatch?.iso).toBe('2024-02-04T17:00:00.000Z');
    expect(mismatch?.rule).toContain('weekday-mismatch');
  });

  it('reads an AM/PM date day first on a page whose other dates are printed day first', () => {
    expect(parseDate('05/06/2024 10:20:15 AM', { now: NOW })?.iso).toBe('2024-05-06T03:20:15.000Z');
    expect(parseDate('05/06/2024 10:20:15 AM', { now: NOW, dayFirst: true })?.iso).toBe('2024-06-05T03:20:15.000Z');
    // Day first is impossible for 11/24: the order stays month first whatever the page says.
    expect(parseDate('11/24/2023 3:18:29 PM', { now: NOW, dayFirst: true })?.iso).toBe('2023-11-24T08:18:29.000Z');
    expect(provenOrder('Cập nhật: 05/06/2024 · Các tin đã đưa (28/05/2024) (20/05/2024)')).toBe('dmy');
    expect(provenOrder('11/24/2023 3:18:29 PM')).toBe('mdy');
    expect(provenOrder('05/06/2024 và 01/02/2024')).toBeNull();
    expect(provenOrder('28/05/2024 và 11/24/2023')).toBeNull();
  });

  it('accepts dates up to two days ahead of now and no further', () => {
    expect(parseDate('02/06/2025 10:00', { now: NOW })?.iso).toBe('2025-06-02T03:00:00.000Z');
    expect(parseDate('05/06/2025 10:00', { now: NOW })).toBeNull();
  });

  it('finds the date inside a longer line', () => {
    expect(parseDate('Tin: Phòng Văn hóa | 19:48, Thứ Sáu, 19-1-2024 | Lượt xem: 35', { now: NOW })?.iso).toBe('2024-01-19T12:48:00.000Z');
  });
});

describe('YEAR_NEEDED', () => {
  // parseDate skips text YEAR_NEEDED rejects: each layout must need four year digits or a d/m/y triple.
  it.each(DATE_LAYOUTS.map((l) => [l.rule, l.re.source] as const))('%s needs a year', (_rule, source) => {
    const fourDigitYear = source.includes(String.raw`(?<y>\d{4})`);
    const dmyTriple = source.includes(String.raw`(?<a>\d{1,2})\s*[/.-]\s*(?<b>\d{1,2})\s*[/.-]\s*(?<y>\d{4}|\d{2})`);
    expect(fourDigitYear || dmyTriple).toBe(true);
  });

  it('accepts every date parseDate reads', () => {
    for (const [input, expected] of CASES)
      if (expected) expect(YEAR_NEEDED.test(input.normalize('NFD').replace(/[\u0300-\u036f]/g, '')), input).toBe(true);
  });
});

describe('dateFromUrlEpoch', () => {
  it.each([
    ['https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1234/1705668480000', '2024-01-19T12:48:00.000Z'],
    ['https://snnmt.quangtri.gov.vn/vi/chi-tiet-tin/-/view-article/1/5678/1705563600000', '2024-01-18T07:40:00.000Z'],
    ['https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1234/9999999999999', null],
    ['https://www.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1234/123456', null],
    ['https://www.quangtri.gov.vn/tin-tuc/khanh-thanh-cau-hien-luong-moi', null],
  ])('%s → %s', (url, expected) => {
    const parsed = dateFromUrlEpoch(url, { now: NOW });
    expect(parsed?.iso ?? null).toBe(expected);
    if (parsed) expect(parsed.rule).toBe('url-epoch');
  });
});
