/**
 * The allow-list, as sanitize-html options: the security boundary of every feed. Anything the reshaping steps
 * leave that is not listed here is dropped (its text kept, unless it is in DROP_TAGS).
 */
import type sanitize from 'sanitize-html';

/** Removed with everything inside (by the first pass, and again by sanitize-html). */
export const DROP_TAGS = [
  'script',
  'style',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'svg',
  'math',
  'canvas',
  'template',
  'link',
  'meta',
  'base',
  'head',
  'title',
  'video',
  'audio',
  'source',
  'track',
  'map',
  'area',
  'dialog',
  'colgroup',
  'col',
  'hr',
  'label',
  'param',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
];

/** The allow-list: everything else is dropped (its text kept, unless it is in DROP_TAGS). */
export const ALLOW_LIST = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    'u',
    'a',
    'img',
    'figure',
    'figcaption',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h2',
    'h3',
    'h4',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { a: ['http', 'https', 'mailto'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROP_TAGS,
  /** A link without a usable URL is its text; an image without a source is nothing. */
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : frame.tag === 'img' && !frame.attribs.src),
} satisfies sanitize.IOptions;

/** Tags the reshaping renames to one the allow-list keeps (a Map: a page may name an element `constructor`). */
export const RENAME = new Map(Object.entries({ h1: 'h2', h5: 'h4', h6: 'h4', tfoot: 'tbody', dt: 'p', dd: 'p', pre: 'p', address: 'p' }));
