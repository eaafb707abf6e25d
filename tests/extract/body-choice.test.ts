import { describe, expect, it, vi } from 'vitest';
import { BODY_CHOICE, type BodyCandidate, type PageText, chooseBetween, pageProse, paragraphProse } from '../../src/extract/body-choice.js';
import { createElement, createText, indexPage } from '../../src/extract/dom.js';
import { parseDocument } from '../../src/extract/parse.js';

const SENTENCE = 'Hội đồng nhân dân tỉnh họp phiên thường kỳ để bàn kế hoạch đầu tư công và ngân sách năm tới. ';

/** A paragraph of prose about `length` characters long (always at least `BODY_CHOICE.paragraph`). */
const prose = (length: number): string =>
  SENTENCE.repeat(Math.ceil(length / SENTENCE.length))
    .slice(0, length)
    .trim();
/** A fragment line: a menu entry or a share label. */
const fragment = (i: number): string => `Mục ${i}`;

function candidate(...lines: string[]): BodyCandidate {
  return {
    root: createElement(
      'div',
      {},
      lines.map((line) => createElement('p', {}, [createText(line)])),
    ),
    text: lines.join('\n'),
  };
}

/** The page around a candidate: its text `times` the candidate's, its `<p>` prose `prose` times the candidate's. */
function pageOf(body: BodyCandidate | null, times: number, proseTimes: number): PageText {
  const length = body?.text.length ?? 0;
  const ownProse = body
    ? body.text
        .split('\n')
        .filter((l) => l.length >= BODY_CHOICE.paragraph)
        .reduce((sum, l) => sum + l.length, 0)
    : 0;
  return { length: Math.round(length * times), prose: Math.round(ownProse * proseTimes) };
}

const short = candidate(prose(300));
const long = candidate(prose(300), prose(300));
const slightlyLonger = candidate(prose(330));
const choppy = candidate(fragment(1), prose(400), fragment(2), fragment(3), prose(400), fragment(4));
const clean = candidate(prose(400), prose(400));
const cleanButShort = candidate(prose(400), prose(150));

describe('chooseBetween', () => {
  it.each<[string, BodyCandidate | null, PageText, BodyCandidate | null, string, BodyCandidate | null]>([
    ['ours missing, the second opinion found', null, pageOf(null, 1, 1), long, 'readability:instead-of-density', long],
    ['ours missing and no second opinion', null, pageOf(null, 1, 1), null, 'density', null],
    ['the second opinion refused or empty', short, pageOf(short, 10, 5), null, 'density', short],
    ['the second opinion 1.2 times longer', short, pageOf(short, 10, 5), long, 'readability:longer-than-density', long],
    ['the second opinion only 1.1 times longer', short, pageOf(short, 10, 5), slightlyLonger, 'density', short],
    [
      'ours choppy, the other keeps its prose without fragments',
      choppy,
      pageOf(choppy, 10, 5),
      clean,
      'readability:fewer-fragments-than-density',
      clean,
    ],
    ['ours choppy, the other loses a fifth of its prose', choppy, pageOf(choppy, 10, 5), cleanButShort, 'density', choppy],
    ['ours not choppy, the other as long', clean, pageOf(clean, 10, 5), candidate(prose(800)), 'density', clean],
  ])('%s', (_name, ours, page, other, rule, body) => {
    const ask = vi.fn(() => other);
    const choice = chooseBetween(ours, 'density', page, ask);
    expect(ask).toHaveBeenCalledOnce();
    expect(choice).toEqual({ body, rule });
  });

  it('keeps a listing refusal in the rule when the second opinion finds nothing better', () => {
    expect(chooseBetween(null, 'density-headlines', pageOf(null, 1, 1), () => long)).toEqual({
      body: long,
      rule: 'readability:instead-of-density-headlines',
    });
  });

  const { pageShare, proseShare, paragraphsHold } = BODY_CHOICE.trusted;
  it.each<[string, PageText, boolean]>([
    ['ours is the whole page', pageOf(long, 1, 1), true],
    ['ours holds the share of the page text and its paragraphs', pageOf(long, 1 / pageShare, 1 / proseShare), true],
    ['ours is a small part of the page text', pageOf(long, 1.1 / pageShare, 1), false],
    ['the page has much more prose in its paragraphs', pageOf(long, 1, 1.1 / proseShare), false],
    ['the page writes its text outside paragraphs', pageOf(long, 1, paragraphsHold * 0.9), false],
  ])('trusts ours without asking when %s: %s', (_name, page, trusted) => {
    const ask = vi.fn(() => candidate(prose(2000)));
    const choice = chooseBetween(long, 'density', page, ask);
    expect(ask).toHaveBeenCalledTimes(trusted ? 0 : 1);
    expect(choice.rule).toBe(trusted ? 'density:trusted' : 'readability:longer-than-density');
  });

  it('keeps ours without asking when the page shows less than half its prose (a JSON-LD body of a script-rendered page)', () => {
    const ask = vi.fn(() => candidate(prose(2000)));
    const page = { length: Math.floor(pageOf(long, 1, 1).prose * BODY_CHOICE.unbeatable), prose: 0 };
    expect(chooseBetween(long, 'json-ld:articleBody', page, ask)).toEqual({ body: long, rule: 'json-ld:articleBody:unbeatable' });
    expect(ask).not.toHaveBeenCalled();
    expect(chooseBetween(long, 'json-ld:articleBody', { ...page, length: page.length + 10 }, ask).rule).toBe(
      'readability:longer-than-json-ld:articleBody',
    );
  });

  it('trusts a choppy body too when it holds the page: the fragments are all the page has', () => {
    const ask = vi.fn(() => clean);
    expect(chooseBetween(choppy, 'density', pageOf(choppy, 1.5, 1), ask)).toEqual({ body: choppy, rule: 'density:trusted' });
    expect(ask).not.toHaveBeenCalled();
  });

  it('keeps ours ending with the author line without asking', () => {
    const signed = candidate(prose(300), 'Nguyễn Văn An');
    const ask = vi.fn(() => long);
    expect(chooseBetween(signed, 'density', pageOf(signed, 10, 5), ask)).toEqual({ body: signed, rule: 'density:ends-with-credit' });
    expect(ask).not.toHaveBeenCalled();
  });
});

describe('paragraphProse', () => {
  it('counts the characters of paragraphs of prose length only', () => {
    const [long, atLimit, below] = [prose(200), SENTENCE.slice(0, BODY_CHOICE.paragraph), SENTENCE.slice(0, BODY_CHOICE.paragraph - 1)];
    const paragraphs = [long, atLimit, 'Chia sẻ', below].map((t) => createElement('p', {}, [createText(t)]));
    expect(paragraphProse(paragraphs)).toBe(long.length + BODY_CHOICE.paragraph);
  });
});

describe('pageProse', () => {
  const para = `<p>${prose(200)}</p>`;
  const proseOf = (html: string): number => pageProse(indexPage(parseDocument(`<html><body>${html}</body></html>`)));

  it("leaves out the paragraphs of readers' comments, related stories and sidebars", () => {
    expect(proseOf(`<article>${para}</article><div id="comments"><ol class="comment-list"><li>${para}${para}</li></ol></div>`)).toBe(proseOf(para));
    expect(proseOf(`${para}<aside class="sidebar">${para}</aside><div class="related">${para}</div>`)).toBe(proseOf(para));
  });

  it('counts a region marked as content too (a comment-content box inside the article, a main column)', () => {
    expect(proseOf(`<div class="main-content with-sidebar">${para}${para}</div>`)).toBe(2 * proseOf(para));
  });
});
