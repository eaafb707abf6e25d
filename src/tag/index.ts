export { loadTaxonomy, parseTaxonomy, DEFAULT_SCORING } from './taxonomy.js';
export type { Taxonomy, TaxonomyCategory, TaxonomyKeyword, TaxonomyPlace, Scoring } from './taxonomy.js';
export { createTagger } from './tagger.js';
export type { Tagger, TagInput, TagField, TermMatch, Explanation, CategoryExplanation, PlaceExplanation } from './tagger.js';
export { formatExplanation } from './explain.js';
export { tonedForm } from './match.js';
