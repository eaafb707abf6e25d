import { stripInvalidXmlChars } from '../core/text.js';

export const STYLESHEET = '/feed.xsl';
export const XML_PROLOG = `<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="${STYLESHEET}"?>\n`;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content and attribute values, dropping characters XML 1.0 cannot carry. */
export function escapeXml(value: string): string {
  return stripInvalidXmlChars(value.normalize('NFC')).replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** CDATA section; `]]>` is split across two sections so it can never close the section early. */
export function cdata(value: string): string {
  const clean = stripInvalidXmlChars(value.normalize('NFC'));
  return `<![CDATA[${clean.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export type Attrs = Record<string, string | number | null | undefined>;

function renderAttrs(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** `<name attrs>escaped text</name>`; nothing when the text is null or undefined. */
export function el(name: string, text: string | null | undefined, attrs: Attrs = {}): string {
  if (text === null || text === undefined) return '';
  return `<${name}${renderAttrs(attrs)}>${escapeXml(text)}</${name}>`;
}

/** Element whose content is already-built XML. */
export function wrap(name: string, inner: string, attrs: Attrs = {}): string {
  return `<${name}${renderAttrs(attrs)}>${inner}</${name}>`;
}

export function empty(name: string, attrs: Attrs): string {
  return `<${name}${renderAttrs(attrs)}/>`;
}

/** RFC 822 date as RSS readers expect it: `Fri, 19 Jan 2024 12:48:00 +0000`. */
export function rfc822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 3339 in UTC without milliseconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
