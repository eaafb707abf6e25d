import type { CategoryInfo, TagResult } from '../core/types.js';
import { compileTerm, countHits, splitWords, TermIndex, WordCache, type Words } from './match.js';
import { scoringOf, type Scoring, type Taxonomy } from './taxonomy.js';

export interface TagInput {
  title: string;
  lead: string | null;
  text: string;
  section: string | null;
}

export type TagField = 'section' | 'title' | 'lead' | 'body';

export interface TermMatch {
  term: string;
  field: TagField;
  count: number;
  weight: number;
  /** What this match adds to the category's score. */
  points: number;
}

export interface CategoryExplanation extends CategoryInfo {
  score: number;
  /** The score this category needed: its threshold, or its share of the best score if higher. */
  needed: number;
  assigned: boolean;
  matches: TermMatch[];
}

export interface PlaceExplanation {
  slug: string;
  name: string;
  assigned: boolean;
  matches: Array<{ term: string; field: Exclude<TagField, 'section'>; count: number }>;
}

export interface Explanation {
  threshold: number;
  /** Share of the best score a category needs besides the threshold. */
  relative: number;
  best: number;
  /** True when nothing passed and the general category was assigned. */
  fellBack: boolean;
  general: CategoryInfo;
  categories: CategoryExplanation[];
  places: PlaceExplanation[];
  result: TagResult;
}

export interface Tagger {
  tag(input: TagInput): TagResult;
  explain(input: TagInput): Explanation;
  categories(): CategoryInfo[];
}

const TEXT_FIELDS = ['title', 'lead', 'body'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** Breadcrumb separators: `Trang chủ > Tin tức > Kinh tế`. Dashes are not among them: `Văn hóa - Xã hội` is one label. */
const BREADCRUMB_SEPARATOR = /[>»›|/\\\n]+/;

interface Compiled {
  scoring: Scoring;
  categoryTerms: TermIndex<{ category: number; weight: number }>;
  placeTerms: TermIndex<number>;
  sections: Map<string, number[]>;
  cache: WordCache;
}

function sectionKey(label: string, cache: WordCache): string {
  return splitWords(label, cache).allFolded().join(' ');
}

function compile(taxonomy: Taxonomy): Compiled {
  const cache = new WordCache();
  const compiled: Compiled = {
    scoring: scoringOf(taxonomy),
    categoryTerms: new TermIndex(),
    placeTerms: new TermIndex(),
    sections: new Map(),
    cache,
  };
  taxonomy.categories.forEach((category, index) => {
    for (const keyword of category.keywords) {
      const term = compileTerm(keyword.term, keyword.exact === true, { category: index, weight: keyword.weight }, cache);
      if (term) compiled.categoryTerms.add(term);
    }
    // A page section named exactly like the category maps to it without being listed.
    for (const label of [category.name, ...category.sections]) {
      const key = sectionKey(label, cache);
      const list = compiled.sections.get(key) ?? [];
      if (!list.includes(index)) list.push(index);
      compiled.sections.set(key, list);
    }
  });
  taxonomy.places.forEach((place, index) => {
    for (const raw of place.terms) {
      // Place names are written with their diacritics; folded, "Cồn Cỏ" would also be "còn có" (still has).
      const term = compileTerm(raw, true, index, cache);
      if (term) compiled.placeTerms.add(term);
    }
  });
  return compiled;
}

function sectionCategories(section: string | null, compiled: Compiled): ReadonlySet<number> {
  const indexes = new Set<number>();
  if (!section) return indexes;
  for (const part of [section, ...section.split(BREADCRUMB_SEPARATOR)]) {
    for (const index of compiled.sections.get(sectionKey(part, compiled.cache)) ?? []) indexes.add(index);
  }
  return indexes;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function repetition(count: number, scoring: Scoring): number {
  return Math.min(1 + Math.log(count), scoring.bodyRepeatCap);
}

function scoreCategories(taxonomy: Taxonomy, fields: Record<TextField, Words>, section: string | null, compiled: Compiled): CategoryExplanation[] {
  const { scoring } = compiled;
  const result: CategoryExplanation[] = taxonomy.categories.map((c) => ({
    slug: c.slug,
    name: c.name,
    description: c.description,
    score: 0,
    needed: 0,
    assigned: false,
    matches: [],
  }));
  for (const index of sectionCategories(section, compiled)) {
    result[index]!.matches.push({ term: section ?? '', field: 'section', count: 1, weight: scoring.section, points: scoring.section });
  }
  for (const field of TEXT_FIELDS) {
    for (const [term, count] of countHits(fields[field], compiled.categoryTerms, compiled.cache)) {
      if (field === 'body' && taxonomy.categories[term.payload.category]!.headlineOnly) continue;
      const points = term.payload.weight * scoring[field] * repetition(count, scoring);
      result[term.payload.category]!.matches.push({ term: term.term, field, count, weight: term.payload.weight, points: round(points) });
    }
  }
  for (const category of result) {
    // Most categories match nothing on a given page.
    if (category.matches.length === 0) continue;
    category.score = round(category.matches.reduce((sum, m) => sum + m.points, 0));
    category.matches.sort((a, b) => b.points - a.points);
  }
  return result;
}

function findPlaces(taxonomy: Taxonomy, fields: Record<TextField, Words>, compiled: Compiled): PlaceExplanation[] {
  const result: PlaceExplanation[] = taxonomy.places.map((p) => ({ slug: p.slug, name: p.name, assigned: false, matches: [] }));
  for (const field of TEXT_FIELDS) {
    for (const [term, count] of countHits(fields[field], compiled.placeTerms, compiled.cache)) {
      result[term.payload]!.matches.push({ term: term.term, field, count });
    }
  }
  for (const place of result) {
    const body = place.matches.filter((m) => m.field === 'body').reduce((sum, m) => sum + m.count, 0);
    place.assigned = place.matches.some((m) => m.field !== 'body') || body >= compiled.scoring.placeBodyMin;
  }
  return result;
}

function explainWith(taxonomy: Taxonomy, compiled: Compiled, input: TagInput): Explanation {
  const fields: Record<TextField, Words> = {
    title: splitWords(input.title, compiled.cache),
    lead: splitWords(input.lead ?? '', compiled.cache),
    body: splitWords(input.text, compiled.cache),
  };
  const categories = scoreCategories(taxonomy, fields, input.section, compiled);
  const best = Math.max(0, ...categories.map((c) => c.score));
  const { relative, secondaryNeedsHeadline } = compiled.scoring;
  categories.forEach((category, index) => {
    const own = taxonomy.categories[index]!;
    const supported = category.score === best || !secondaryNeedsHeadline || category.matches.some((m) => m.field !== 'body' && m.points > 0);
    category.needed = round(Math.max(own.threshold ?? taxonomy.threshold, (own.relative ?? relative) * best));
    category.assigned = supported && category.score >= category.needed;
  });
  const places = findPlaces(taxonomy, fields, compiled);
  const assigned = categories.filter((c) => c.assigned).sort((a, b) => b.score - a.score);
  const fellBack = assigned.length === 0;
  const result: TagResult = {
    categories: fellBack ? [taxonomy.general.slug] : assigned.map((c) => c.slug),
    places: places.filter((p) => p.assigned).map((p) => p.slug),
    scores: categories
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((c) => ({ slug: c.slug, score: c.score, matched: c.matches.map((m) => `${m.field}:${m.term}`) })),
  };
  return { threshold: taxonomy.threshold, relative, best, fellBack, general: taxonomy.general, categories, places, result };
}

/** Builds a tagger; the keyword table is compiled once here, so tagging is one pass per field. */
export function createTagger(taxonomy: Taxonomy): Tagger {
  const compiled = compile(taxonomy);
  const infos: CategoryInfo[] = [
    ...taxonomy.categories.map(({ slug, name, description }) => ({ slug, name, description })),
    { slug: taxonomy.general.slug, name: taxonomy.general.name, description: taxonomy.general.description },
  ];
  return {
    tag: (input) => explainWith(taxonomy, compiled, input).result,
    explain: (input) => explainWith(taxonomy, compiled, input),
    categories: () => infos.map((c) => ({ ...c })),
  };
}
