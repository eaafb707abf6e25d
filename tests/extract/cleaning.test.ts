/** The body's cleaning steps as data: multilingual box headings, labelled links, credit and widget lines. */
import { describe, expect, it } from 'vitest';
import { computeStats, prunedKind, removeBoilerplate, removeRelated } from '../../src/extract/content.js';
import { type Element, tagged, indexPage } from '../../src/extract/dom.js';
import { foldVietnamese } from '../../src/core/text.js';
import { parseDocument } from '../../src/extract/parse.js';
import { plainText } from '../../src/extract/text.js';

const PROSE = [
  'Der Stadtrat hat am Dienstagabend nach langer Debatte beschlossen, die Brücke über den Fluss bis zum Herbst vollständig zu sanieren.',
  'Die Kosten von rund vier Millionen Euro teilen sich Land und Stadt, wobei der Bund einen Zuschuss für den Radweg in Aussicht gestellt hat.',
  'Während der Bauzeit wird der Verkehr über die Umleitung im Norden geführt; Fußgänger können die Brücke an den Wochenenden weiter nutzen.',
  'Anwohner hatten seit Jahren auf Schäden an den Pfeilern hingewiesen, ein Gutachten bestätigte im Frühjahr den dringenden Handlungsbedarf.',
];
const prose = (from = 0, to = PROSE.length) =>
  PROSE.slice(from, to)
    .map((p) => `<p>${p}</p>`)
    .join('');
const teasers =
  '<ul><li><a href="/a">Neue Ampel an der Hauptstraße geht in Betrieb</a></li><li><a href="/b">Freibad öffnet früher als geplant</a></li></ul>';

function cleaned(body: string): string {
  const document = parseDocument(`<html><body><div id="root">${body}</div></body></html>`);
  const root = tagged(indexPage(document), 'div')[0] as Element;
  const stats = computeStats(root);
  removeRelated(root, stats);
  removeBoilerplate(root, stats);
  return plainText(root);
}

describe('box headings in the corpus languages end the article', () => {
  it.each([
    ['de', '<h3>Das könnte Sie auch interessieren!</h3>'],
    ['de, question', '<h2>Schon gelesen?</h2>'],
    ['de, comment count', '<h3>3 Kommentare</h3>'],
    ['en', '<h2>You may also like</h2>'],
    ['en, count in brackets', '<h4>Comments (12)</h4>'],
    ['es', '<div><strong>Te puede interesar</strong></div>'],
    ['fr', '<h3>À lire aussi</h3>'],
    ['pl', '<h3>Czytaj także</h3>'],
    ['ru', '<h3>Читайте также</h3>'],
    ['ja', '<h3>関連記事</h3>'],
    ['fi', '<h3>Lue myös</h3>'],
    ['de, a wording of its own', '<h3>Diese Artikel könnten dich ebenfalls interessieren:</h3>'],
    ['en, a wording of its own', '<h2>Stories you might also enjoy</h2>'],
    ['vi', '<h3>Tin liên quan</h3>'],
    ['de, sources', '<h3>Quellen:</h3>'],
    ['es, related topics', '<h4>Temas relacionados</h4>'],
  ])('%s: the heading, its list and the teasers after it go', (_lang, heading) => {
    const text = cleaned(`${prose()}${heading}${teasers}<p>${PROSE[0]!.replace('Brücke', 'Straße')}</p>`);
    expect(text).toContain(PROSE[3]);
    expect(text).not.toContain('Freibad');
    expect(text).not.toContain('Straße über den Fluss');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it.each([
    ['a site name after the marker', '<h3>Mehr zum Thema auf example.de</h3>'],
    ['a newspaper after the marker', '<h5>Artículos relacionados el Nuevo Herald</h5>'],
    ['a column after the marker', '<h4>Weitere Beiträge aus der Kolumne:</h4>'],
  ])('a heading opening with a marker of two words or more and %s ends the article too', (_name, heading) => {
    const text = cleaned(`${prose()}${heading}${teasers}`);
    expect(text).not.toContain('Freibad');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it.each([
    ['a one-word marker opening a heading', '<h3>Kommentare der Leser zum Umbau</h3>'],
    ['a paragraph opening with a marker', '<p>Mehr zum Thema auf example.de</p>'],
  ])('keeps what follows %s', (_name, block) => {
    expect(cleaned(`${prose(0, 3)}${block}${prose(3)}`)).toContain(PROSE[3]);
  });

  it('a heading early in the body takes its list only: the article goes on after it', () => {
    const text = cleaned(`${prose(0, 1)}<h3>Mehr zum Thema</h3>${teasers}${prose(1)}`);
    expect(text).not.toContain('Freibad');
    for (const p of PROSE) expect(text).toContain(p);
  });

  it('a labelled link between paragraphs goes alone, even near the end', () => {
    const text = cleaned(`${prose(0, 3)}<p><strong>Lea también: <a href="/x">Impiden ingreso a un reportero</a></strong></p>${prose(3)}`);
    expect(text).not.toContain('Impiden');
    for (const p of PROSE) expect(text).toContain(p);
  });

  it.each([
    ['a name that is also a label word', '<p>Lea</p>'],
    ['a marker inside prose', `<p>Das könnte Sie auch interessieren, sagte der Bürgermeister, denn die Brücke ist alt.</p>`],
    ['a label without a link', '<p>Read more: the council publishes the full report next week on its own site.</p>'],
  ])('keeps %s', (_name, block) => {
    const text = cleaned(`${prose(0, 3)}${block}${prose(3)}`);
    expect(text).toContain(PROSE[3]);
    expect(text).toContain(cleaned(block));
  });
});

describe('lines that are furniture wherever they stand', () => {
  it.each([
    ['Foto: Christof Stache'],
    ['(Foto: Tony Silva/Ascom-PC)'],
    ['Bild via Unsplash'],
    ['Photo by Bill Mead on Unsplash'],
    ['Credit:'],
    ['Copyright © 2020 IT4Kids'],
    ['© 2020 ®/TM General Mills All Rights Reserved'],
    ['Advertisement'],
    ['Anzeige'],
    ['Wird geladen …'],
    ['(Noch keine Bewertungen)'],
    ['Sign up for The Gleaner’s morning and evening newsletters.'],
    ['Zurück zur Übersicht'],
    ['- Anzeige -'],
    ['Join our Newsletter'],
    ['Follow us on Twitter and Instagram'],
    ['War der Artikel hilfreich?'],
    ['This entry was posted in News and tagged Stadtrat.'],
  ])('%s', (line) => {
    const text = cleaned(`${prose()}<p>${line}</p>`);
    expect(text).not.toContain(line);
    expect(text).toContain(PROSE[3]);
  });

  it.each([['Fotografie ist sein Beruf seit zwanzig Jahren.'], ['Bilder einer Ausstellung'], ['Subscribers to the service pay monthly.']])(
    'keeps %s',
    (line) => {
      expect(cleaned(`${prose()}<p>${line}</p>`)).toContain(line);
    },
  );
});

describe('short blocks PRUNED_LINES names go, by kind', () => {
  it.each([
    ['credit-caption', 'Lee Elder war mit golferischem Talent gesegnet. | © Augusta National/Getty Images'],
    ['credit-caption', 'In Gottesdiensten gilt FFP2-Maskenpflicht. Foto: ccnull/Marco Verch/cc by sa 2.0'],
    ['credit-caption', 'Dmitry Muratov, periodista ruso (REUTERS/Denis Balibouse)'],
    ['credit-caption', 'Erdölpumpen im Abendrot. TebNad/Shutterstock.com'],
    ['credit-caption', 'Abbildung 4: klassische Schwachschicht.'],
    ['call-to-action', 'Never miss the latest news by signing up to our newsletter today!'],
    ['call-to-action', 'For the latest stories download the Nationnews apps for iOS and Android.'],
    ['call-to-action', '¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.'],
    ['call-to-action', 'Besuchen Sie unseren Fan-Shop!'],
    ['call-to-action', 'Wenn Ihnen unser Artikel gefallen hat: Unterstützen Sie diese Form des Journalismus.'],
    ['call-to-action', 'Wesprzyj nas darowizną!'],
    ['consent', 'Externer Inhalt'],
    ['consent', 'Klicken Sie auf den unteren Button, um den Inhalt von www.komoot.de zu laden.'],
    ['date-line', 'Aktualisiert: 11.04.2020, 10:27'],
    ['date-line', '11 Jan 2019'],
    ['date-line', '4 Min Read'],
  ])('%s: %s', (kind, line) => {
    expect(prunedKind(foldVietnamese(line).toLowerCase())).toBe(kind);
    const document = parseDocument(`<html><body><div id="root">${prose()}<p>${line}</p></div></body></html>`);
    const root = tagged(indexPage(document), 'div')[0] as Element;
    const pruned = new Set<string>();
    removeBoilerplate(root, computeStats(root), pruned);
    expect(plainText(root)).not.toContain(line);
    expect(plainText(root)).toContain(PROSE[3]);
    expect([...pruned]).toEqual([kind]);
  });

  it.each([
    ['a caption without a credit', 'Der Bürgermeister bei der Eröffnung der Brücke am Dienstag.'],
    ['a Vietnamese caption credited with Ảnh', 'Lãnh đạo tỉnh thăm hỏi bà con vùng lũ. Ảnh: Lê Minh'],
    ['a paragraph naming a newsletter at length', `${PROSE[0]} ${PROSE[1]} Der Verein verschickt dazu einen Newsletter an alle Mitglieder.`],
    ['a date inside a sentence', 'Die Brücke wird am 11.04.2020 wieder geöffnet.'],
    ['an invitation to join a community', 'Werden Sie ein Teil unserer Produkttester-Community und unterstützen Sie uns dabei, Neues zu testen.'],
  ])('keeps %s', (_name, line) => {
    expect(cleaned(`${prose()}<p>${line}</p>`)).toContain(line);
  });
});

describe('short link-dense blocks go (LINK_DENSE, after trafilatura)', () => {
  it.each([
    [
      'a list of two headline links between paragraphs',
      '<ul><li><a href="/a">One virus, two Americas</a></li><li><a href="/b">Jobs hit by the virus</a></li></ul>',
      'Americas',
    ],
    ['a paragraph that is one short link', '<p><a href="/more">Mehr erfahren</a></p>', 'Mehr erfahren'],
    ['a row of tiny links', '<div><a href="/1">1</a> <a href="/2">2</a> <a href="/3">3</a> weiter zur Seite</div>', 'weiter zur Seite'],
  ])('%s', (_name, block, gone) => {
    const text = cleaned(`${prose(0, 2)}${block}${prose(2)}`);
    for (const p of PROSE) expect(text).toContain(p);
    expect(text).not.toContain(gone);
  });

  it('a list closing the body may be longer than one between paragraphs', () => {
    const links = ['Neue Ampel an der Hauptstraße geht ab Montag in Betrieb', 'Freibad öffnet in diesem Jahr früher als geplant', 'Stadtfest']
      .map((t, i) => `<li><a href="/${i}">${t}</a></li>`)
      .join('');
    expect(cleaned(`${prose()}<ul>${links}</ul>`)).not.toContain('Freibad');
    expect(cleaned(`${prose(0, 2)}<ul>${links}</ul>${prose(2)}`)).toContain('Freibad');
  });

  it.each([
    ['a paragraph with a link in it', `<p>Der Bericht steht <a href="/r">auf der Seite der Stadt</a> zum Download bereit.</p>`],
    ['a long paragraph that is a link', `<p><a href="/r">${PROSE[0]}</a></p>`],
    ['a list of attached documents', '<ul><li><a href="/files/plan.pdf">Kế hoạch số 512</a></li><li><a href="/files/b.docx">Phụ lục</a></li></ul>'],
  ])('keeps %s', (_name, block) => {
    expect(cleaned(`${prose(0, 2)}${block}${prose(2)}`)).toContain(cleaned(block));
  });
});

describe("the author's box goes (AUTHOR_HINT, under AUTHOR_BOX_MAX characters)", () => {
  it.each([
    ['post-author__bio', '<div class="post-author__bio">Alle Blogbeiträge zu unseren Themen werden vom Verein verfasst.</div>'],
    [
      'saboxplugin-wrap',
      '<div class="saboxplugin-wrap"><img src="/me.jpg"><p>Ich mag jede Art von Fotografie und schreibe hier seit 2015.</p></div>',
    ],
    ['cbx-Author', '<div class="cbx-Author"><p><a href="/redaktion/x">Benjamin Fischer</a></p><p>Redakteur in der Wirtschaft.</p></div>'],
  ])('%s', (_name, block) => {
    const text = cleaned(`${prose()}${block}`);
    expect(text).toContain(PROSE[3]);
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('keeps a long block that only carries the word in its class', () => {
    const text = cleaned(`<div class="author-content">${prose()}${prose()}</div>`);
    expect(text).toContain(PROSE[3]);
  });
});
