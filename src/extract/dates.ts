/** Date parsing for Vietnamese portals. Local times are Asia/Ho_Chi_Minh: UTC+7 all year, no DST. */
import { foldVietnamese } from '../core/text.js';
import { squeezeSpaces } from './fold.js';

export interface ParsedDate {
  iso: string;
  rule: string;
}

export interface DateOptions {
  now?: Date;
  /** The page prints its other dates day first (`28/05/2024`): AM/PM no longer says month first. */
  dayFirst?: boolean;
}

export const LOCAL_OFFSET_MINUTES = 7 * 60;
const MIN_YEAR = 1990;
/** Zone abbreviations a CMS may print; any other is read as local time, which is what the page shows. */
const ZONE_ABBREVIATIONS: Record<string, number> = { utc: 0, gmt: 0, ict: 420, icst: 420 };
const FUTURE_SLACK_MS = 2 * 24 * 3600 * 1000;

// Patterns run on folded text (lowercase, no diacritics), so `Thứ Sáu`, `THU SAU` and `thu sau` all match.
const WD = String.raw`(?<wd>chu\s*nhat|cn|thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|t[2-7]|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b\.?`;
const DMY = String.raw`(?<!\d)(?<a>\d{1,2})\s*[/.-]\s*(?<b>\d{1,2})\s*[/.-]\s*(?<y>\d{4}|\d{2})(?!\d)`;
const HM = String.raw`(?<!\d)(?<H>\d{1,2})\s*(?:[:h]|gio)\s*(?<M>\d{2})(?:\s*phut\b)?(?:\s*(?::|phut)\s*(?<S>\d{2}))?(?:\s*(?<ap>am|pm|sa|ch|sang|chieu|toi)\b)?`;
const MONTH_WORD = String.raw`(?<mw>muoi\s*hai|muoi\s*mot|muoi|mot|hai|ba|tu|nam|sau|bay|tam|chin|gieng|chap|\d{1,2})\b`;
const MONTH_NAME = String.raw`(?<mname>jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch|z)?|apr(?:il)?|may|mai|jun[ei]?|jul[yi]?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?)\.?`;
const SEP = String.raw`\s*[,|-]?\s*`;
const DAY_WORD = String.raw`(?:ngay\s*)?`;
/** A zone note printed between the time and the date: `08:15 (GMT+7) 03/12/2024`. */
const ZONE_NOTE = String.raw`(?:\s*\(?\s*(?:gmt|utc)\s*[+]\s*0?7(?::?00)?\s*\)?)?`;

interface Layout {
  rule: string;
  re: RegExp;
}

/** Most specific first: the first layout that yields a plausible date wins. */
export const DATE_LAYOUTS: Layout[] = [
  {
    rule: 'iso8601',
    // NukeViet writes `2024-01-18ICT14:20:00` (PHP's `T` is the zone abbreviation, not the ISO separator).
    re: /(?<!\d)(?<y>\d{4})-(?<b>\d{2})-(?<a>\d{2})(?:(?:[t ]|(?<abbr>[a-z]{2,5}))(?<H>\d{2}):(?<M>\d{2})(?::(?<S>\d{2})(?:[.,]\d+)?)?\s*(?<tz>z|[+-]\d{2}:?\d{2})?)?(?!\d)/,
  },
  { rule: 'time-weekday-date', re: new RegExp(`${HM}${SEP}${WD}${SEP}${DAY_WORD}${DMY}`) },
  { rule: 'weekday-date-time', re: new RegExp(`${WD}${SEP}${DAY_WORD}${DMY}(?:\\s*(?:-|,|\\||luc)?\\s*)${HM}`) },
  { rule: 'time-date', re: new RegExp(`${HM}${ZONE_NOTE}${SEP}${DAY_WORD}${DMY}`) },
  { rule: 'date-time', re: new RegExp(`${DMY}(?:\\s*(?:-|,|\\||luc)?\\s*)${HM}`) },
  { rule: 'weekday-date', re: new RegExp(`${WD}${SEP}${DAY_WORD}${DMY}`) },
  {
    rule: 'date-words',
    re: /ngay\s+(?<a>\d{1,2})\s+thang\s+(?<b>\d{1,2})\s+(?:nam\s+)?(?<y>\d{4})(?:\s*(?:,|luc|-)?\s*(?<H>\d{1,2})\s*(?:[:h]|gio)\s*(?<M>\d{2}))?/,
  },
  // WordPress in Vietnamese prints `13 Tháng Sáu, 2024`; some sub-sites `20 tháng 1, 2024 lúc 8:05 sáng`.
  {
    rule: 'month-words',
    re: new RegExp(`(?<!\\d)(?<a>\\d{1,2})\\s+thang\\s+${MONTH_WORD}\\s*,?\\s*(?:nam\\s+)?(?<y>\\d{4})(?:\\s*(?:,|luc|-)?\\s*${HM})?`),
  },
  { rule: 'month-name', re: new RegExp(`${MONTH_NAME}\\s+(?<a>\\d{1,2})(?:st|nd|rd|th)?,?\\s+(?<y>\\d{4})(?:\\s*(?:,|at|-)?\\s*${HM})?`) },
  // `3 March 2024`, `3. März 2024, 10:22`.
  {
    rule: 'day-month-name',
    re: new RegExp(`(?<!\\d)(?<a>\\d{1,2})\\.?\\s+${MONTH_NAME}\\s*,?\\s+(?<y>\\d{4})(?:\\s*(?:,|at|um|-)?\\s*${HM})?`),
  },
  { rule: 'ymd', re: new RegExp(`(?<!\\d)(?<y>\\d{4})[/.](?<b>\\d{1,2})[/.](?<a>\\d{1,2})(?!\\d)(?:\\s*(?:-|,)?\\s*${HM})?`) },
  { rule: 'date', re: new RegExp(DMY) },
];

/** Every layout needs a year: four digits, or the digits closing a d/m/y triple. Text without one holds no date. */
export const YEAR_NEEDED = /\d{4}|\d\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d/;

/** Layouts whose day and month positions are not in doubt. */
const FIXED_ORDER = new Set(['iso8601', 'month-words', 'month-name', 'day-month-name', 'ymd', 'date-words']);

const MONTH_WORDS: Record<string, number> = {
  mot: 1,
  gieng: 1,
  hai: 2,
  ba: 3,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
  'muoi mot': 11,
  'muoi hai': 12,
  chap: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  mai: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  okt: 10,
  nov: 11,
  dec: 12,
  dez: 12,
};

/** The month (`b`), read from a month word or name when the layout has one. */
function monthOf(g: Record<string, string | undefined>): string | undefined {
  const word = g.mw ?? (g.mname ? g.mname.slice(0, 3) : undefined);
  if (!word) return g.b;
  const month = /^\d+$/.test(word) ? Number(word) : MONTH_WORDS[word.replace(/\s+/g, ' ')];
  return month === undefined ? undefined : String(month);
}

const GLOBAL_LAYOUTS = DATE_LAYOUTS.map((l) => new RegExp(l.re.source, 'g'));

/** Day of week (0 = Sunday) each folded weekday word names. */
const WEEKDAYS: Array<[RegExp, number]> = [
  [/^(?:chu\s*nhat|cn|sunday|sun)$/, 0],
  [/^(?:thu\s*hai|thu\s*2|t2|monday|mon)$/, 1],
  [/^(?:thu\s*ba|thu\s*3|t3|tuesday|tue)$/, 2],
  [/^(?:thu\s*tu|thu\s*4|t4|wednesday|wed)$/, 3],
  [/^(?:thu\s*nam|thu\s*5|t5|thursday|thu)$/, 4],
  [/^(?:thu\s*sau|thu\s*6|t6|friday|fri)$/, 5],
  [/^(?:thu\s*bay|thu\s*7|t7|saturday|sat)$/, 6],
];

function weekdayOf(word: string | undefined): number | null {
  if (!word) return null;
  const clean = word.replace(/\.$/, '').replace(/\s+/g, ' ').trim();
  for (const [re, day] of WEEKDAYS) if (re.test(clean)) return day;
  return null;
}

/** A date's clock time and zone; day and month are tried in both orders against it. */
interface Clock {
  y: number;
  H: number;
  M: number;
  S: number;
  offsetMinutes: number;
}

function fullYear(y: string, now: Date): number {
  const n = Number(y);
  if (y.length === 4) return n;
  const pivot = (now.getUTCFullYear() % 100) + 1;
  return n <= pivot ? 2000 + n : 1900 + n;
}

function toInstant(c: Clock, d: number, m: number): Date | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || c.H > 23 || c.M > 59 || c.S > 59) return null;
  const probe = new Date(Date.UTC(c.y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return new Date(Date.UTC(c.y, m - 1, d, c.H, c.M, c.S) - c.offsetMinutes * 60_000);
}

function offsetOf(tz: string | undefined): number {
  if (!tz) return LOCAL_OFFSET_MINUTES;
  if (tz === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return LOCAL_OFFSET_MINUTES;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function hour24(h: number, ap: string | undefined): number {
  if (ap === 'pm' || ap === 'ch' || ap === 'chieu' || ap === 'toi') return h < 12 ? h + 12 : h;
  if (ap === 'am' || ap === 'sa' || ap === 'sang') return h === 12 ? 0 : h;
  return h;
}

function plausible(date: Date, now: Date): boolean {
  return date.getUTCFullYear() >= MIN_YEAR && date.getTime() <= now.getTime() + FUTURE_SLACK_MS;
}

/**
 * Reads (a, b) as d/m first, m/d second; the weekday, when given, settles which. US order wins
 * without a weekday only when d/m is impossible or the time is written with AM/PM.
 */
function resolve(g: Record<string, string | undefined>, rule: string, now: Date, dayFirst: boolean): ParsedDate | null {
  const a = Number(g.a);
  const b = Number(monthOf(g));
  const y = fullYear(g.y ?? '', now);
  const ap = g.ap;
  const base: Clock = {
    y,
    H: hour24(Number(g.H ?? 0), ap),
    M: Number(g.M ?? 0),
    S: Number(g.S ?? 0),
    offsetMinutes: g.abbr && !g.tz ? (ZONE_ABBREVIATIONS[g.abbr] ?? LOCAL_OFFSET_MINUTES) : offsetOf(g.tz),
  };
  if (FIXED_ORDER.has(rule)) {
    const date = toInstant(base, a, b);
    return date && plausible(date, now) ? { iso: date.toISOString(), rule } : null;
  }
  const dmy = toInstant(base, a, b);
  const mdy = a === b ? null : toInstant(base, b, a);
  const preferUs = (ap === 'am' || ap === 'pm') && !dayFirst;
  const wd = weekdayOf(g.wd);
  // Day-first is the local convention; month-first is only considered when day-first is impossible,
  // the time says AM/PM, or a weekday can arbitrate.
  const ordered = preferUs
    ? [
        { date: mdy, order: 'mdy' as const },
        { date: dmy, order: 'dmy' as const },
      ]
    : [{ date: dmy, order: 'dmy' as const }, ...(dmy === null || wd !== null ? [{ date: mdy, order: 'mdy' as const }] : [])];
  const options: Array<{ date: Date; order: 'dmy' | 'mdy' }> = [];
  for (const option of ordered) {
    if (option.date && plausible(option.date, now)) options.push({ date: option.date, order: option.order });
  }
  if (options.length === 0) return null;
  let chosen = options[0]!;
  let note = '';
  if (wd !== null) {
    // The weekday is of the local calendar date, so shift back to local before asking.
    const agrees = options.find((o) => new Date(o.date.getTime() + base.offsetMinutes * 60_000).getUTCDay() === wd);
    if (agrees) chosen = agrees;
    else {
      chosen = options.find((o) => o.order === 'dmy') ?? chosen;
      note = '+weekday-mismatch';
    }
  }
  const order = chosen.order === 'mdy' ? ':mdy' : '';
  return { iso: chosen.date.toISOString(), rule: `${rule}${order}${note}` };
}

/** Finds the first plausible date in a piece of text. */
export function parseDate(text: string, options: DateOptions = {}): ParsedDate | null {
  if (!text || !/\d/.test(text)) return null;
  const now = options.now ?? new Date();
  const folded = squeezeSpaces(foldVietnamese(text)).slice(0, 2000);
  if (!YEAR_NEEDED.test(folded)) return null;
  for (let i = 0; i < DATE_LAYOUTS.length; i++) {
    // exec over the shared global pattern: matchAll would copy the pattern on every call.
    const layout = DATE_LAYOUTS[i]!;
    const re = GLOBAL_LAYOUTS[i]!;
    re.lastIndex = 0;
    for (let match = re.exec(folded); match; match = re.exec(folded)) {
      if (match[0] === '') re.lastIndex++;
      const result = resolve(match.groups ?? {}, layout.rule, now, options.dayFirst ?? false);
      if (result) return result;
    }
  }
  return null;
}

const DAY_MONTH = new RegExp(DMY, 'g');

/**
 * Which order the d/m/y dates of a text prove (`28/05/2024` day first, `11/24/2023` month first), or null when
 * none is unambiguous or they disagree.
 */
export function provenOrder(text: string): 'dmy' | 'mdy' | null {
  let dmy = false;
  let mdy = false;
  for (const m of text.matchAll(DAY_MONTH)) {
    const a = Number(m.groups?.a);
    const b = Number(m.groups?.b);
    if (a > 12 && b >= 1 && b <= 12) dmy = true;
    else if (b > 12 && a >= 1 && a <= 12) mdy = true;
  }
  return dmy === mdy ? null : dmy ? 'dmy' : 'mdy';
}

/** 3CMS article ids are creation times in epoch milliseconds; accepted only within a plausible window. */
export function dateFromUrlEpoch(url: string, options: DateOptions = {}): ParsedDate | null {
  const now = options.now ?? new Date();
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const match = /\/(\d{13})(?:\/|$|\?|\.)/.exec(path) ?? /(?<!\d)(\d{13})$/.exec(path);
  if (!match?.[1]) return null;
  const date = new Date(Number(match[1]));
  if (date.getUTCFullYear() < 2005 || date.getTime() > now.getTime() + FUTURE_SLACK_MS) return null;
  return { iso: date.toISOString(), rule: 'url-epoch' };
}
