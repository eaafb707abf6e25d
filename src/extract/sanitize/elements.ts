/**
 * Elements brought to the allow-list's shape: tags renamed, disallowed blocks turned into paragraphs,
 * attributes cut to the allowed ones with every link made absolute, and blocks hoisted out of phrasing elements.
 */
import { cleanText } from '../../core/text.js';
import { type Element, type ParentNode, isBlock, removeNode, tagOf, unwrap } from '../dom.js';
import { absoluteUrl } from '../images.js';
import { ALLOW_LIST, RENAME } from './allow-list.js';
import { wrapInlineRuns } from './tree.js';

const ALLOWED = new Set(ALLOW_LIST.allowedTags);
const ALLOWED_ATTRS = new Map<string, string[]>(Object.entries(ALLOW_LIST.allowedAttributes));
const TABLE_PARTS = new Set(['tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'caption']);
/** Elements whose content is phrasing only; a block inside them gets hoisted out. */
const PHRASING_ONLY = new Set(['p', 'h2', 'h3', 'h4', 'figcaption', 'caption', 'strong', 'em', 'b', 'i', 'u']);
/** A colspan or rowspan is a small number. */
const SPAN_VALUE = /^\d{1,3}$/;

function safeAttrs(baseUrl: string, el: Element, tag: string): void {
  const keep = ALLOWED_ATTRS.get(tag) ?? [];
  const next: Record<string, string> = {};
  for (const name of keep) {
    const value = el.attribs[name];
    if (value === undefined) continue;
    if (name === 'src') {
      next.src = value; // resolved by resolveImages (or copied from a resolved image): absoluteUrl would return it as it is
    } else if (name === 'href') {
      const url = absoluteUrl(value, baseUrl, true);
      if (url) next.href = url;
    } else if (name === 'alt') {
      next.alt = cleanText(value).replace(/[<>]/g, '').replace(/\s+/g, ' ').trim();
    } else if (SPAN_VALUE.test(value.trim())) {
      next[name] = value.trim();
    }
  }
  el.attribs = next;
}

export function normaliseElements(baseUrl: string, node: ParentNode, inTable = false): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue; // scripts and styles are gone by now
    let tag = tagOf(child);
    normaliseElements(baseUrl, child, inTable || tag === 'table');
    const renamed = RENAME.get(tag);
    if (renamed) {
      child.name = renamed;
      tag = renamed;
    }
    // Rows or cells cut out of their table (a body made of some rows of a layout table) are layout, not data.
    if (TABLE_PARTS.has(tag) && !inTable) {
      blockToParagraphs(child);
      continue;
    }
    if (ALLOWED.has(tag)) {
      safeAttrs(baseUrl, child, tag);
      if (tag === 'img' && !child.attribs.src) removeNode(child);
      else if (tag === 'a' && !child.attribs.href) unwrap(child);
      continue;
    }
    if (isBlock(child) || tag === 'center') blockToParagraphs(child);
    else unwrap(child);
  }
}

/** A disallowed block becomes a p when it holds only inline content, else its inline runs become p's. */
function blockToParagraphs(el: Element): void {
  const hasBlock = el.children.some((c) => isBlock(c) || tagOf(c) === 'figure');
  const parentTag = tagOf(el.parent);
  if (!hasBlock && !PHRASING_ONLY.has(parentTag) && parentTag !== 'li' && parentTag !== 'td' && parentTag !== 'th') {
    el.name = 'p';
    el.attribs = {};
    return;
  }
  wrapInlineRuns(el);
  unwrap(el);
}

/** A block inside a phrasing-only element (quirks-mode `<p><table>`) is hoisted so the HTML reparses the same. */
export function fixNesting(node: ParentNode): void {
  for (const child of [...node.children]) {
    if (child.type !== 'tag') continue;
    fixNesting(child);
    const tag = tagOf(child);
    if (PHRASING_ONLY.has(tag) && child.children.some((c) => isBlock(c) || tagOf(c) === 'figure')) {
      if (tag === 'p') wrapInlineRuns(child);
      unwrap(child);
    }
  }
}
