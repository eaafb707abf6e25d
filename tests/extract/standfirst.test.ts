import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/article.js';
import { indexPage, tagged, textOf as elementText } from '../../src/extract/dom.js';
import { parseDocument } from '../../src/extract/parse.js';
import { standfirstByText, standfirstCandidates } from '../../src/extract/standfirst.js';
import { plainText } from '../../src/extract/text.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const URL = 'https://news.example.org/2025/05/harbour-plan';

const BODY = [
  'The council approved the plan on Tuesday evening after a debate that lasted more than four hours, with a clear majority in favour.',
  'Work on the first section of the new quay is due to start in the autumn, and the harbour will stay open to ferries during the works.',
  'Local fishermen, who had opposed an earlier version, said the new plan leaves them enough room to moor their boats near the market.',
  'The cost, estimated at forty million euros, will be shared between the city, the region and a European fund for coastal towns.',
]
  .map((p) => `<p>${p}</p>`)
  .join('\n');

const STANDFIRST = 'After years of delays the city has agreed how to rebuild its old harbour, and the first works could begin this year.';

function page(header: string, before = ''): string {
  return `<!DOCTYPE html><html lang="en"><head><title>Harbour plan approved</title></head><body>
    <nav><a href="/">Home</a> <a href="/city">City</a></nav>
    <main><header class="article-header"><h1>Harbour plan approved</h1>${header}</header>
    ${before}
    <div class="article-body">${BODY}</div></main>
    <footer>Copyright News Example</footer></body></html>`;
}

const textOf = (html: string): string => extractArticle(html, URL, { now: NOW }).text;

describe('standfirst (lead printed between the title and the body container)', () => {
  it('opens the text, once, when it sits in the article header', () => {
    const text = textOf(
      page(`<p class="intro">${STANDFIRST}</p><div class="byline">By Jane Roe</div><time datetime="2025-05-20">20 May 2025</time>`),
    );
    expect(text.startsWith(STANDFIRST)).toBe(true);
    expect(text.split(STANDFIRST)).toHaveLength(2);
    expect(text).toContain('The council approved the plan');
    expect(text).not.toContain('Jane Roe');
  });

  it('may be a subtitle heading of a long line, without a full stop', () => {
    const subtitle = 'Forty million euros for a new quay, a wider channel and a market hall by the water';
    const text = textOf(page(`<h2 class="subtitle">${subtitle}</h2>`));
    expect(text.startsWith(subtitle)).toBe(true);
  });

  it('is found past a run of furniture (tags, share labels) between the title and it', () => {
    const tags = Array.from({ length: 60 }, (_, i) => `<span class="tag">Harbour topic ${i}, city news</span>`).join(' ');
    const text = textOf(page(`<div class="topics">${tags}</div><p class="intro">${STANDFIRST}</p>`));
    expect(text.startsWith(STANDFIRST)).toBe(true);
  });

  it('holds the opening paragraphs printed in the article header, before the body', () => {
    const opening = ['first', 'second', 'third', 'fourth'].map((n) => `This is the ${n} opening paragraph of the harbour story.`);
    const text = textOf(page(`<div class="opening">${opening.map((p) => `<p>${p}</p>`).join('')}</div>`));
    for (const p of opening) expect(text).toContain(p);
  });

  it('is read through an intro box wrapping its paragraph', () => {
    const text = textOf(page('', `<div class="intro-box"><div class="lead"><p>${STANDFIRST}</p></div></div>`));
    expect(text.startsWith(STANDFIRST)).toBe(true);
  });

  it('leaves out an author box, a caption and another article teaser printed before the body', () => {
    const bio = 'Jane Roe has covered city politics for the paper for more than twelve years and wrote a book about the port.';
    const caption = 'The old harbour seen from the lighthouse at dawn, with the ferry terminal on the left and the market behind it.';
    const teaser = 'A new bridge over the river will link the two halves of the town by next spring, the mayor told reporters.';
    const text = textOf(
      page(
        `<div class="author-box"><p>${bio}</p></div><figure><img src="/h.jpg"><figcaption>${caption}</figcaption></figure>`,
        `<div class="latest"><article><h3><a href="/bridge">Bridge to open</a></h3><p>${teaser}</p></article></div>`,
      ),
    );
    expect(text).not.toContain(bio);
    expect(text).not.toContain(teaser);
    expect(text).not.toContain(caption);
    expect(text.startsWith('The council approved the plan')).toBe(true);
  });

  it('is no short label, link line or date line', () => {
    const text = textOf(
      page('<p>Updated 20 May 2025</p><p><a href="/a">Harbour</a> <a href="/b">City council</a> <a href="/c">Ferries and boats</a></p>'),
    );
    expect(text.startsWith('The council approved the plan')).toBe(true);
  });
});

describe('standfirstByText (a body from another tree: Readability, JSON-LD)', () => {
  it('takes the prose blocks before the first one the body holds', () => {
    const document = parseDocument(page(`<p class="intro">${STANDFIRST}</p>`));
    const index = indexPage(document);
    const title = tagged(index, 'h1')[0]!;
    const candidates = standfirstCandidates(index, title, []);
    const bodyText = plainText(tagged(index, 'div').find((d) => d.attribs.class === 'article-body')!);
    expect(standfirstByText(candidates, bodyText).map(elementText)).toEqual([STANDFIRST]);
    // A body that holds none of our blocks says nothing of where it starts.
    expect(standfirstByText(candidates, 'Some other text entirely, from a tree of its own.')).toEqual([]);
  });
});

it('reads through the classes an <article> carries for its author and tags', () => {
  const html = page(`<p class="intro">${STANDFIRST}</p>`)
    .replace('<main>', '<main><article class="post type-post author-jane-roe tag-sidebar">')
    .replace('</main>', '</article></main>');
  expect(textOf(html).startsWith(STANDFIRST)).toBe(true);
});
