import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { CategoryInfo } from '../core/types.js';

export interface TaxonomyKeyword {
  term: string;
  weight: number;
  /** Match diacritics and tones too (tone placement still ignored): for terms folding would make ambiguous. */
  exact?: boolean;
}

export interface TaxonomyCategory extends CategoryInfo {
  keywords: TaxonomyKeyword[];
  /** Section / breadcrumb labels of source pages that put an item in this category. */
  sections: string[];
  /** Own minimum score, instead of the taxonomy's. */
  threshold?: number;
  /** Own share of the best score; 0 for a category that describes the kind of item rather than its topic. */
  relative?: number;
  /** Score only the section, title and lead: for a kind of item (a directive) that the headline states. */
  headlineOnly?: boolean;
}

export interface TaxonomyPlace {
  slug: string;
  name: string;
  terms: string[];
}

/** How field hits turn into scores; every key has a default so a taxonomy need not set any. */
export interface Scoring {
  /** Multipliers per field. */
  title: number;
  lead: number;
  body: number;
  /** Points for a page section that maps to the category. */
  section: number;
  /** A category is also kept only when it scores at least this share of the best category. */
  relative: number;
  /** Upper bound of one term's repetition factor in the body (1 + ln(count), capped). */
  bodyRepeatCap: number;
  /** Body hits needed to tag a place that the title and lead do not name. */
  placeBodyMin: number;
  /**
   * A category other than the best one is kept only when the section, title or lead supports it:
   * passing mentions deep in the body do not make a second topic.
   */
  secondaryNeedsHeadline: boolean;
}

export interface Taxonomy {
  threshold: number;
  general: CategoryInfo;
  categories: TaxonomyCategory[];
  places: TaxonomyPlace[];
  scoring?: Partial<Scoring>;
}

export const DEFAULT_SCORING: Scoring = {
  title: 3,
  lead: 2,
  body: 1,
  section: 8,
  relative: 0.4,
  bodyRepeatCap: 2.5,
  placeBodyMin: 2,
  secondaryNeedsHeadline: true,
};

/** Zod reports a missing key as a type error; say "is required" instead. */
const requiredOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
const number = () => z.number({ error: requiredOr('must be a number') });
const slug = z.string({ error: requiredOr('must be a string') }).regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)');
const nonEmpty = z
  .string({ error: requiredOr('must be a string') })
  .trim()
  .min(1, 'must not be empty');

const keywordSchema = z.strictObject({
  term: nonEmpty,
  weight: number().min(0, 'must not be negative').finite(),
  exact: z.boolean().optional(),
});

const categorySchema = z.strictObject({
  slug,
  name: nonEmpty,
  description: z.string().default(''),
  keywords: z.array(keywordSchema).default([]),
  sections: z.array(nonEmpty).default([]),
  threshold: number().positive('must be greater than 0').optional(),
  relative: number().min(0).max(1).optional(),
  headlineOnly: z.boolean().optional(),
});

const placeSchema = z.strictObject({
  slug,
  name: nonEmpty,
  terms: z.array(nonEmpty).min(1, 'a place needs at least one term'),
});

const scoringSchema = z
  .strictObject({
    title: z.number().nonnegative(),
    lead: z.number().nonnegative(),
    body: z.number().nonnegative(),
    section: z.number().nonnegative(),
    relative: z.number().min(0).max(1),
    bodyRepeatCap: z.number().min(1),
    placeBodyMin: z.number().int().min(1),
    secondaryNeedsHeadline: z.boolean(),
  })
  .partial();

const taxonomySchema = z
  .strictObject({
    threshold: number().positive('must be greater than 0'),
    general: z.strictObject({ slug, name: nonEmpty, description: z.string().default('') }),
    categories: z.array(categorySchema).min(1, 'at least one category is needed'),
    places: z.array(placeSchema).default([]),
    scoring: scoringSchema.optional(),
  })
  .superRefine((taxonomy, ctx) => {
    const seen = new Set<string>([taxonomy.general.slug]);
    taxonomy.categories.forEach((category, index) => {
      if (seen.has(category.slug)) {
        ctx.addIssue({ code: 'custom', path: ['categories', index, 'slug'], message: `duplicate slug "${category.slug}"` });
      }
      seen.add(category.slug);
    });
    const places = new Set<string>();
    taxonomy.places.forEach((place, index) => {
      if (places.has(place.slug)) {
        ctx.addIssue({ code: 'custom', path: ['places', index, 'slug'], message: `duplicate slug "${place.slug}"` });
      }
      places.add(place.slug);
    });
  });

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.length
        ? issue.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '')
        : '(top level)';
      if (issue.code === 'unrecognized_keys') return `${key === '(top level)' ? '' : key + '.'}${issue.keys.join(', ')}: unknown key`;
      if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${key}: is required`;
      return `${key}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates a parsed taxonomy document; errors name the offending key and the file. */
export function parseTaxonomy(raw: unknown, file: string): Taxonomy {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`taxonomy file ${file} must hold a mapping with threshold, general, categories and places`);
  }
  const result = taxonomySchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`invalid taxonomy ${file}: ${formatIssues(result.error)}`, {
      details: { file, issues: result.error.issues },
    });
  }
  const { scoring, ...rest } = result.data;
  return scoring ? { ...rest, scoring } : rest;
}

export function loadTaxonomy(file: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read taxonomy file ${file}`, { cause, details: { file } });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`taxonomy file ${file} is not valid YAML`, { cause, details: { file } });
  }
  return parseTaxonomy(raw, file);
}

export function scoringOf(taxonomy: Taxonomy): Scoring {
  return { ...DEFAULT_SCORING, ...taxonomy.scoring };
}
