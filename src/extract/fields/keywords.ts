/** The keywords: article:tag, JSON-LD keywords and `rel=tag` links, each once. */
import { type PageIndex, tagged, textOf } from '../dom.js';
import { type StructuredData, jsonList, metaValues } from '../structured.js';
import { type Found, clean } from './common.js';

const MAX_KEYWORD_LENGTH = 80;
const REL_TAG = /(?:^|\s)tag(?:\s|$)/i;

export function findKeywords(index: PageIndex, data: StructuredData): Found<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const rules = new Set<string>();
  const add = (values: string[], rule: string): void => {
    for (const v of values.map(clean)) {
      if (v && v.length <= MAX_KEYWORD_LENGTH && !seen.has(v.toLowerCase())) {
        seen.add(v.toLowerCase());
        out.push(v);
        rules.add(rule);
      }
    }
  };
  add(metaValues(data, 'article:tag'), 'article:tag');
  add(jsonList(data.article?.keywords), 'json-ld');
  add(
    tagged(index, 'a')
      .filter((a) => a.attribs.rel !== undefined && REL_TAG.test(a.attribs.rel))
      .map(textOf),
    'rel-tag',
  );
  return { value: out, rule: [...rules].join('+') || 'none' };
}
