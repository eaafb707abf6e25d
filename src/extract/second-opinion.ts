/**
 * A second opinion on the body: @mozilla/readability (Firefox Reader View) over linkedom, on its own parse of the
 * page, converted into the same domhandler tree the rest of extraction works on.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { type AnyNode, type Element, createElement, createText } from './dom.js';

/** The few members of linkedom's nodes the conversion reads. */
interface DomLike {
  nodeType: number;
  localName?: string;
  data?: string;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomLike>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function convert(node: DomLike): AnyNode | null {
  if (node.nodeType === TEXT_NODE) return createText(node.data ?? '');
  if (node.nodeType !== ELEMENT_NODE || !node.localName) return null;
  const attribs: Record<string, string> = {};
  for (const { name, value } of Array.from(node.attributes ?? [])) attribs[name] = value;
  const kids = Array.from(node.childNodes)
    .map(convert)
    .filter((k): k is AnyNode => k !== null);
  // Readability names the elements it makes in upper case (`DIV`); our tree's names are lower case.
  return createElement(node.localName.toLowerCase(), attribs, kids);
}

export interface SecondOpinion {
  root: Element;
  title: string | null;
  byline: string | null;
}

/** Readability's article, or null when it finds none (or its parse fails on a broken page). */
export function readabilityBody(html: string): SecondOpinion | null {
  try {
    const { document } = parseHTML(html);
    const reader = new Readability<DomLike>(document as unknown as ConstructorParameters<typeof Readability>[0], {
      serializer: (node) => node as unknown as DomLike,
    });
    const article = reader.parse();
    const content = article?.content;
    if (!content) return null;
    const root = convert(content);
    if (!root || root.type !== 'tag') return null;
    return { root: root as Element, title: article.title ?? null, byline: article.byline ?? null };
  } catch {
    return null;
  }
}
