import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { loadTaxonomy, parseTaxonomy } from '../../src/tag/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONFIG = resolve(here, '../../config/categories.yaml');
const FILE = '/etc/portalfeed/categories.yaml';

function valid(): Record<string, unknown> {
  return {
    threshold: 5,
    general: { slug: 'tong-hop', name: 'Tổng hợp' },
    categories: [
      { slug: 'kinh-te', name: 'Kinh tế', keywords: [{ term: 'đầu tư', weight: 3 }], sections: ['Kinh tế'] },
      { slug: 'doi-ngoai', name: 'Đối ngoại', keywords: [{ term: 'Lào', weight: 3, exact: true }] },
    ],
    places: [{ slug: 'dong-ha', name: 'Đông Hà', terms: ['Đông Hà'] }],
  };
}

function errorOf(raw: unknown): ConfigError {
  try {
    parseTaxonomy(raw, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected parseTaxonomy to throw');
}

describe('the shipped taxonomy config/categories.yaml', () => {
  const taxonomy = loadTaxonomy(CONFIG);

  it('defines the seven provincial categories and the general one', () => {
    expect(taxonomy.categories.map((c) => c.slug)).toEqual([
      'chinh-tri',
      'kinh-te',
      'van-hoa-xa-hoi',
      'quoc-phong-an-ninh',
      'chi-dao-dieu-hanh',
      'nong-nghiep-nong-thon',
      'doi-ngoai',
    ]);
    expect(taxonomy.general).toMatchObject({ slug: 'tong-hop', name: 'Tổng hợp' });
    for (const category of taxonomy.categories) {
      expect(category.name.length, category.slug).toBeGreaterThan(0);
      expect(category.description.length, category.slug).toBeGreaterThan(0);
      expect(category.keywords.length, category.slug).toBeGreaterThanOrEqual(20);
      expect(category.sections.length, category.slug).toBeGreaterThan(0);
    }
  });

  it.each([
    'dong-ha',
    'vinh-linh',
    'gio-linh',
    'cam-lo',
    'trieu-phong',
    'hai-lang',
    'huong-hoa',
    'dakrong',
    'con-co',
    'lao-bao',
    'khe-sanh',
    'thi-xa-quang-tri',
    'dong-hoi',
    'bo-trach',
    'quang-ninh',
    'le-thuy',
    'tuyen-hoa',
    'minh-hoa',
    'quang-trach',
    'ba-don',
  ])('lists the place %s', (slug) => {
    expect(taxonomy.places.some((p) => p.slug === slug)).toBe(true);
  });
});

describe('parseTaxonomy', () => {
  it('accepts a minimal taxonomy and fills defaults', () => {
    const taxonomy = parseTaxonomy(valid(), FILE);
    expect(taxonomy.general.description).toBe('');
    expect(taxonomy.categories[1]).toMatchObject({ slug: 'doi-ngoai', sections: [], description: '' });
    expect(taxonomy.categories[1]!.keywords[0]).toEqual({ term: 'Lào', weight: 3, exact: true });
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mutations reach into raw YAML of any shape
  type Mutation = (raw: Record<string, any>) => void;
  it.each<[string, Mutation, string[]]>([
    ['a category without slug', (r) => delete r.categories[0].slug, ['categories[0].slug', 'is required']],
    ['a category with an upper-case slug', (r) => (r.categories[0].slug = 'Kinh Te'), ['categories[0].slug', 'lowercase slug']],
    ['duplicate category slugs', (r) => (r.categories[1].slug = 'kinh-te'), ['categories[1].slug', 'duplicate slug "kinh-te"']],
    ['a category reusing the general slug', (r) => (r.categories[0].slug = 'tong-hop'), ['categories[0].slug', 'duplicate']],
    [
      'a weight that is not a number',
      (r) => (r.categories[0].keywords[0].weight = 'heavy'),
      ['categories[0].keywords[0].weight', 'must be a number'],
    ],
    ['a negative weight', (r) => (r.categories[1].keywords[0].weight = -1), ['categories[1].keywords[0].weight', 'negative']],
    ['a keyword without term', (r) => delete r.categories[0].keywords[0].term, ['categories[0].keywords[0].term']],
    ['an empty term', (r) => (r.categories[0].keywords[0].term = '  '), ['categories[0].keywords[0].term', 'empty']],
    ['a misspelt keyword key', (r) => (r.categories[0].keywords[0].wieght = 2), ['categories[0].keywords[0].wieght', 'unknown key']],
    ['a missing threshold', (r) => delete r.threshold, ['threshold', 'is required']],
    ['a threshold that is not a number', (r) => (r.threshold = 'high'), ['threshold', 'must be a number']],
    ['no general category', (r) => delete r.general, ['general', 'is required']],
    ['no categories', (r) => (r.categories = []), ['categories', 'at least one']],
    ['a place without terms', (r) => (r.places[0].terms = []), ['places[0].terms']],
    ['duplicate place slugs', (r) => r.places.push({ slug: 'dong-ha', name: 'x', terms: ['x'] }), ['places[1].slug', 'duplicate']],
    ['a scoring share above 1', (r) => (r.scoring = { relative: 4 }), ['scoring.relative']],
  ])('rejects %s, naming the key and the file', (_label, mutate, fragments) => {
    const raw = valid();
    mutate(raw);
    const err = errorOf(raw);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(FILE);
    for (const fragment of fragments) expect(err.message).toContain(fragment);
  });

  it.each([null, 'text', [1, 2], 42])('rejects a document that is not a mapping (%j)', (raw) => {
    expect(errorOf(raw).message).toContain(FILE);
  });
});

describe('loadTaxonomy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-tag-'));

  it('reads and validates a YAML file', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      'threshold: 2\ngeneral: { slug: other, name: Other }\ncategories:\n  - { slug: a, name: A, keywords: [{ term: x, weight: 1 }] }\n',
    );
    const taxonomy = loadTaxonomy(file);
    expect(taxonomy.threshold).toBe(2);
    expect(taxonomy.places).toEqual([]);
  });

  it('names the file when it is missing', () => {
    const file = join(dir, 'missing.yaml');
    expect(() => loadTaxonomy(file)).toThrow(ConfigError);
    expect(() => loadTaxonomy(file)).toThrow(file);
  });

  it('names the file when it is not YAML', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'threshold: [1, 2\ncategories: {');
    expect(() => loadTaxonomy(file)).toThrow(/broken\.yaml is not valid YAML/);
  });

  it('names key and file for a bad value', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'threshold: 2\ngeneral: { slug: other, name: Other }\ncategories:\n  - { name: A }\n');
    expect(() => loadTaxonomy(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*categories\\[0\\]\\.slug`));
  });
});
