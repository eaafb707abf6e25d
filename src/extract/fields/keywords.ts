/** The keywords: article:tag, JSON-LD keywords and `rel=tag` links, each once; else the page's printed tag list. */
import {
  type AnyNode,
  type Element,
  type PageIndex,
  type Text,
  type TextReader,
  isElement,
  someAncestor,
  tagOf,
  tagged,
  textOf as textOfNode,
} from '../dom.js';
import { TAG_LIST_LABEL } from '../markers.js';
import { type StructuredData, jsonList, metaValues } from '../structured.js';
import { type Found, clean, fold, inChrome } from './common.js';

const MAX_KEYWORD_LENGTH = 80;
const REL_TAG = /(?:^|\s)tag(?:\s|$)/i;
/**
 * A printed tag list (`Từ khóa: <a>…</a>, <a>…</a>`): how far above a link its box may sit, how many links it holds
 * at most (a tag cloud holds more), and how many characters besides its label and links (separators) it may print.
 */
const TAG_LIST = { levels: 3, maxLinks: 15, spareCharsPerLink: 3 } as const;
/** Elements a tag list's label is printed in: inline, never a box's heading (a sidebar's `Tags` cloud). */
const LABEL_TAGS = new Set(['span', 'b', 'strong', 'em', 'i', 'label', 'li', 'p', 'div', 'dt']);

/** The first text node with something shown in it, under `el`. */
function firstText(el: Element): Text | null {
  for (const child of el.children) {
    if (child.type === 'text' && (child as Text).data.trim()) return child as Text;
    if (isElement(child) && tagOf(child) !== 'a') {
      const inner = firstText(child);
      if (inner) return inner;
    } else if (isElement(child)) return null;
  }
  return null;
}

const linksOf = (el: Element): Element[] => {
  const out: Element[] = [];
  const walk = (node: AnyNode): void => {
    if (!isElement(node)) return;
    if (tagOf(node) === 'a') out.push(node);
    else node.children.forEach(walk);
  };
  el.children.forEach(walk);
  return out;
};

/** The link texts of a box that prints a tag label and nothing but links after it. */
function tagListOf(box: Element, textOf: TextReader): string[] | null {
  const label = firstText(box);
  if (!label || !LABEL_TAGS.has(tagOf(label.parent as Element)) || !TAG_LIST_LABEL.test(fold(label.data))) return null;
  const links = linksOf(box);
  if (links.length === 0 || links.length > TAG_LIST.maxLinks) return null;
  const texts = links.map((a) => clean(textOf(a)));
  const spare = textOf(box).length - clean(label.data).length - texts.reduce((n, t) => n + t.length, 0);
  return spare <= TAG_LIST.spareCharsPerLink * links.length ? texts : null;
}

function printedTags(index: PageIndex, textOf: TextReader): string[] {
  const seen = new Set<Element>();
  for (const a of tagged(index, 'a')) {
    let box = a.parent;
    for (let level = 0; level < TAG_LIST.levels && isElement(box); level++, box = box.parent) {
      if (seen.has(box)) break;
      seen.add(box);
      const texts = tagListOf(box, textOf);
      if (texts && !someAncestor(box, inChrome)) return texts;
    }
  }
  return [];
}

export function findKeywords(index: PageIndex, data: StructuredData, textOf: TextReader = textOfNode): Found<string[]> {
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
  if (out.length === 0) add(printedTags(index, textOf), 'tag-list');
  return { value: out, rule: [...rules].join('+') || 'none' };
}
