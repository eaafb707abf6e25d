/** The last-resort paragraph baseline: the page's own paragraphs outside chrome, when nothing else gave a body. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCorpus, readPageBytes, scorePage } from '../../bench/lib/corpus.js';
import { inspectHtml } from '../../src/commands/inspect.js';
import { paragraphBaseline } from '../../src/extract/baseline.js';
import { decodeBody } from '../../src/fetch/decode.js';

const P1 = 'Frankfurt (dpa) - Für einen Roman über die alte Bundesrepublik hat der Autor den Buchpreis erhalten.';
const P2 = 'Der Preis, 2005 erstmals vergeben, gilt als wichtigste Auszeichnung der Branche und ist hoch dotiert.';
const page = (body: string) => `<!DOCTYPE html><html><head><title>T</title></head><body>${body}</body></html>`;

describe('paragraphBaseline', () => {
  it('takes the paragraphs in page order and leaves chrome out', () => {
    const html = page(
      `<nav><p>Startseite, Politik, Kultur und Sport im Überblick</p></nav><div><p>${P1}</p></div>` +
        `<aside><p>Alles kostenlos? Guter Journalismus kostet Geld.</p></aside><blockquote><p>${P2}</p></blockquote>` +
        `<footer><p>Impressum, Datenschutz und Kontakt zur Redaktion</p></footer>`,
    );
    expect(paragraphBaseline(html, 'https://example.com/a')?.text).toBe(`${P1}\n\n${P2}`);
  });

  it('reads chrome left open around the article as no chrome, and a teaser printed twice once', () => {
    const html = page(`<aside><header><h1>Buchpreis</h1><p>${P1}</p></header><article><p>${P1}</p><p>${P2}</p></article>`);
    expect(paragraphBaseline(html, 'https://example.com/a')?.text).toBe(`${P1}\n\n${P2}`);
  });

  it('cleans what it takes as a body is cleaned', () => {
    const html = page(`<p>${P1}</p><p>${P2}</p><p>Foto: Christof Stache</p>`);
    expect(paragraphBaseline(html, 'https://example.com/a')?.text).toBe(`${P1}\n\n${P2}`);
  });

  it.each([
    ['no paragraphs', page('<div>Nur ein Menü</div>')],
    [
      'a page of links whose only paragraph is the footer address',
      page(`<ul><li><a href="/a.pdf">Bekanntmachung Nummer 1 zur Sitzung</a></li></ul><footer><p>${P1}</p></footer>`),
    ],
    ['labels only', page('<p>Teilen</p><p>Drucken</p>')],
  ])('gives nothing for %s', (_name, html) => {
    expect(paragraphBaseline(html, 'https://example.com/a')).toBeNull();
  });
});

describe('inspect falls back on the paragraphs when neither body choice finds one', () => {
  it('a corpus page whose article sits in an <aside> left open around the page', () => {
    const root = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
    const entry = readCorpus(root).find((e) => e.file === 'rnz.de.witzel.html')!;
    const out = inspectHtml(decodeBody(readPageBytes(root, entry.file)).text, entry.url) as { text: string; rules: Record<string, string> };
    expect(out.rules.body).toBe('paragraphs:last-resort');
    expect(scorePage(entry, out.text)).toMatchObject({ fn: 0, fp: 0 });
  });
});
