/** The author: JSON-LD or meta, else a byline in the page (`rel=author`, an author-hinted element, `Tác giả: …`). */
import { foldVietnamese } from '../../core/text.js';
import {
  type Element,
  type PageIndex,
  type Text,
  type TextReader,
  descendants,
  hasBlockChild,
  nextElement,
  someText,
  tagOf,
  textOf as textOfNode,
} from '../dom.js';
import { AUTHOR_SUFFIX, BYLINE_PREFIX, BYLINE_PREFIX_ALONE, NOT_AUTHORS, ORGANISATION_WORDS, SOURCE_CREDIT } from '../markers.js';
import { type StructuredData, jsonText, metaValue } from '../structured.js';
import { type Found, type Lengths, clean, hinted, lengthOf } from './common.js';

/** A name's limits, and how long a byline element may be (an author-hinted box may hold blocks up to `hintedBox`). */
const BYLINE = { maxNameLength: 60, maxNames: 4, maxWordsPerName: 5, maxLength: 80, hintedBox: 60 } as const;

const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}]*\.?|\p{Lu}{1,4})$/u;
const HONORIFIC = /^(?:Th\.?S|TS|PGS|GS|BS|KS)\.$/;
const AUTHOR_HINT = /author|tac-?gia|byline|writer|nguoi-?viet|nguoi-?dang/i;
/** How a byline without an author hint opens, when it has no colon. */
const BYLINE_OPENING = /^(?:by|posted|bởi|theo|đ|v)/i;
const BYLINE_INITIAL = /^[bpđvt]/i;
/** Where the page's metadata names an author, in order. */
const AUTHOR_META = ['author', 'article:author', 'dc.creator', 'byl'];

/** A person's name: 1–5 capitalised words per name, names joined by `-`, `,`, `và`; no sentence punctuation. */
export function personName(raw: string): string | null {
  const text = clean(raw).replace(/^[-–—\s]+|[-–—\s.]+$/g, '');
  const foldedSuffix = AUTHOR_SUFFIX.exec(foldVietnamese(text));
  const suffix = foldedSuffix ? text.slice(text.length - foldedSuffix[0].length) : '';
  const core = suffix ? text.slice(0, text.length - suffix.length).trim() : text;
  if (!core || core.length > BYLINE.maxNameLength || /[.!?:;"“”0-9]/.test(core.replace(/\b(?:Th\.?S|TS|PGS|GS|BS|KS|ThS)\.\s*/g, ''))) return null;
  const foldedCore = foldVietnamese(core);
  if (NOT_AUTHORS.some((re) => re.test(foldedCore.trim())) || SOURCE_CREDIT.test(foldedCore)) return null;
  const names = core.split(/\s*[-–,&]\s*|\s+và\s+/u).filter(Boolean);
  if (names.length === 0 || names.length > BYLINE.maxNames) return null;
  for (const name of names) {
    const words = name.split(/\s+/);
    if (words.length > BYLINE.maxWordsPerName) return null;
    if (!words.every((w) => NAME_WORD.test(w.replace(HONORIFIC, 'X')))) return null;
  }
  // `(tổng hợp)` says how the text was made, not who made it.
  return core;
}

/** `Theo Lê Minh` credits a person (an author); `Theo Báo Quảng Trị` a source. */
export function creditedPerson(text: string, folded: string): string | null {
  const match = /^[([]?\s*theo\s*[:：]?\s+(.+?)[)\]]?$/.exec(folded);
  if (!match?.[1] || ORGANISATION_WORDS.test(match[1])) return null;
  return personName(text.slice(folded.length - match[1].length).replace(/[)\]]$/, ''));
}

/** A name alone, or after a byline prefix (`Tác giả: …`, `Bài, ảnh: …`, `Bởi …`, `Theo …`). */
export function bylineName(raw: string): string | null {
  const text = clean(raw);
  const folded = foldVietnamese(text);
  const prefixed = BYLINE_PREFIX.exec(folded);
  if (prefixed) return personName(text.slice(folded.length - (prefixed[1] ?? prefixed[2] ?? '').length));
  return creditedPerson(text, folded) ?? personName(text);
}

/** `Thanh Hải - Trung tâm Thông tin KH&CN`: a person's name, a dash, and the organisation they write for. */
export function nameWithOrganisation(raw: string): { name: string; organisation: string } | null {
  const text = clean(raw);
  const dash = /\s[-–—]\s/.exec(text);
  if (!dash) return null;
  const name = personName(text.slice(0, dash.index));
  const organisation = text.slice(dash.index + dash[0].length).trim();
  // The organisation must read as one (`Trung tâm …`, `Sở …`), not as a second author (`Minh Hải - Thanh Tâm`).
  if (!name || !organisation || personName(organisation) || !ORGANISATION_WORDS.test(foldVietnamese(organisation))) return null;
  return { name, organisation };
}

export function authorFromStructured(data: StructuredData): Found<string> | null {
  const jsonAuthor = jsonText(data.article?.author);
  const fromJson = jsonAuthor ? jsonAuthor.split(/,\s*/).map(personName).filter(Boolean).join(', ') : '';
  if (fromJson) return { value: fromJson, rule: 'json-ld' };
  for (const key of AUTHOR_META) {
    const value = metaValue(data, key);
    const name = value && !/^https?:/.test(value) ? personName(value.replace(/^by\s+/i, '')) : null;
    if (name) return { value: name, rule: `meta:${key}` };
  }
  return null;
}

const SHOWN = /[^\s\u200B]/;

/** The first character of `textOf(el)`, without building the text. */
function firstShownChar(el: Element): string {
  for (const child of el.children) {
    if (child.type === 'text') {
      const data = (child as Text).data;
      const at = data.search(SHOWN);
      if (at >= 0) return data[at]!;
    } else if (child.type === 'tag') {
      const found = firstShownChar(child as Element);
      if (found) return found;
    }
  }
  return '';
}

const hasColon = (data: string): boolean => data.includes(':');

/** A byline in the page: `rel=author`, an author-hinted element, or `Tác giả: …`. */
export function findByline(index: PageIndex, body: Element, lengths: Lengths, textOf: TextReader = textOfNode): Found<string> | null {
  for (const el of index.authors) {
    const name = personName(textOf(el).replace(/^by\s+/i, ''));
    if (name) return { value: name, rule: 'rel-author', element: el };
  }
  for (const el of descendants(body)) {
    const len = lengthOf(lengths, el);
    if (len === 0 || len > BYLINE.maxLength) continue;
    const authorHinted = hinted(el, AUTHOR_HINT);
    // tagDiv prints `<div class="td-author-by">Bởi</div> <a>name</a>` inside its author box.
    if (hasBlockChild(el) && !(authorHinted && len <= BYLINE.hintedBox)) continue;
    const colon = !authorHinted && someText(el, hasColon);
    // A byline has a colon or opens with by/đăng/viết: the first character tells most elements apart unread.
    if (!authorHinted && !colon && !BYLINE_INITIAL.test(firstShownChar(el))) continue;
    const text = textOf(el);
    if (!authorHinted && !colon && !BYLINE_OPENING.test(text)) continue;
    const folded = foldVietnamese(text);
    const prefixed = BYLINE_PREFIX.exec(folded);
    if (prefixed) {
      const start = folded.length - (prefixed[1] ?? prefixed[2] ?? '').length;
      const name = personName(text.slice(start));
      if (name) return { value: name, rule: 'byline', element: el };
    }
    const credited = creditedPerson(text, folded);
    if (credited) return { value: credited, rule: 'byline:theo', element: el };
    const next = BYLINE_PREFIX_ALONE.test(folded.trim()) ? nextElement(el) : null;
    const nextName = next && tagOf(next) === 'a' ? personName(textOf(next)) : null;
    if (nextName && next) return { value: nextName, rule: 'byline:prefix-beside', element: next };
    if (authorHinted) {
      const name = bylineName(text);
      if (name) return { value: name, rule: 'author-hint', element: el };
    }
  }
  return null;
}
