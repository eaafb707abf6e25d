import { seedText } from '../helpers/seed.js';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { createTagger, loadTaxonomy, type TagInput } from '../../src/tag/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const taxonomy = loadTaxonomy(resolve(here, '../../config/categories.yaml'));
const tagger = createTagger(taxonomy);

interface EvalItem {
  id: string;
  title: string;
  lead?: string;
  body?: string;
  section?: string;
  expect: string[];
}

const items = (parseYaml(readFileSync(join(here, 'eval-set.yaml'), 'utf8')) as { items: EvalItem[] }).items;

function inputOf(item: EvalItem): TagInput {
  return { title: item.title, lead: item.lead ?? null, text: item.body ?? '', section: item.section ?? null };
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

function f1(c: Counts): number {
  const p = ratio(c.tp, c.tp + c.fp);
  const r = ratio(c.tp, c.tp + c.fn);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function evaluate(): { perCategory: Map<string, Counts>; micro: Counts; errors: string[] } {
  const perCategory = new Map<string, Counts>(tagger.categories().map((c) => [c.slug, { tp: 0, fp: 0, fn: 0 }]));
  const micro: Counts = { tp: 0, fp: 0, fn: 0 };
  const errors: string[] = [];
  for (const item of items) {
    const got = new Set(tagger.tag(inputOf(item)).categories);
    const want = new Set(item.expect);
    for (const slug of new Set([...got, ...want])) {
      const counts = perCategory.get(slug)!;
      const key = got.has(slug) ? (want.has(slug) ? 'tp' : 'fp') : 'fn';
      counts[key] += 1;
      micro[key] += 1;
    }
    if (got.size !== want.size || [...want].some((s) => !got.has(s))) {
      errors.push(`${item.id}: expected [${[...want].join(', ')}] got [${[...got].join(', ')}]`);
    }
  }
  return { perCategory, micro, errors };
}

describe('category tagger on the labelled evaluation set', () => {
  it('has enough labelled items for every category', () => {
    expect(items.length).toBeGreaterThanOrEqual(80);
    const slugs = new Set(tagger.categories().map((c) => c.slug));
    for (const category of taxonomy.categories) {
      expect(items.filter((i) => i.expect.includes(category.slug)).length, category.slug).toBeGreaterThanOrEqual(7);
    }
    for (const item of items) for (const slug of item.expect) expect(slugs.has(slug), `${item.id}: ${slug}`).toBe(true);
  });

  it('reaches micro-F1 >= 0.85 (per-category precision and recall printed)', () => {
    const { perCategory, micro, errors } = evaluate();
    const rows = [...perCategory].map(([slug, c]) => ({
      category: slug,
      precision: ratio(c.tp, c.tp + c.fp).toFixed(3),
      recall: ratio(c.tp, c.tp + c.fn).toFixed(3),
      f1: f1(c).toFixed(3),
      support: c.tp + c.fn,
    }));
    rows.push({
      category: 'MICRO',
      precision: ratio(micro.tp, micro.tp + micro.fp).toFixed(3),
      recall: ratio(micro.tp, micro.tp + micro.fn).toFixed(3),
      f1: f1(micro).toFixed(3),
      support: micro.tp + micro.fn,
    });
    console.log(`tagger evaluation on ${items.length} items`);
    console.table(rows);
    if (errors.length) console.log(`mistakes (${errors.length}):\n  ${errors.join('\n  ')}`);
    expect(f1(micro)).toBeGreaterThanOrEqual(0.85);
  });

  it('tags the seed article (a Party-building conference) chinh-tri', () => {
    const lines = seedText().split(/\r?\n/);
    const paragraphs = lines
      .slice(3)
      .map((l) => l.trim())
      .filter(Boolean);
    const input: TagInput = { title: lines[0]!.trim(), lead: paragraphs[0] ?? null, text: paragraphs.slice(1).join('\n'), section: 'Tin tức' };
    const result = tagger.tag(input);
    expect(result.categories).toEqual(['chinh-tri']);
    // "còn có" (there are also) in the lead must not be read as the island Cồn Cỏ
    expect(result.places).toEqual(['lao-bao']);
  });
});
