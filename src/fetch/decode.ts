/** Decodes a response body by BOM, HTTP header, `<meta charset>` or XML declaration; always NFC. */

const BOMS: Array<{ bytes: number[]; charset: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], charset: 'utf-8' },
  { bytes: [0xff, 0xfe], charset: 'utf-16le' },
  { bytes: [0xfe, 0xff], charset: 'utf-16be' },
];

/** Labels pages use that TextDecoder knows under another name. */
const CHARSET_ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  cp1258: 'windows-1258',
  'x-cp1258': 'windows-1258',
  'win-1258': 'windows-1258',
  windows1258: 'windows-1258',
  cp1252: 'windows-1252',
};

/**
 * Single-byte labels that cannot spell Vietnamese. A page declaring one of these whose bytes are valid,
 * non-ASCII UTF-8 is a misconfigured server, not Latin-1 text.
 */
const LATIN_LABELS: ReadonlySet<string> = new Set(['windows-1252', 'iso-8859-1', 'latin1', 'us-ascii', 'ascii']);

export interface DecodedBody {
  text: string;
  charset: string;
  /** Where the charset came from. */
  via: 'bom' | 'header' | 'meta' | 'xml' | 'sniff' | 'default';
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1] ? normaliseCharset(match[1]) : null;
}

export function charsetFromMeta(head: string): string | null {
  const direct = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  const charset = direct?.[1] ? normaliseCharset(direct[1]) : null;
  // HTML spec: a meta naming UTF-16 is read as UTF-8, since the meta itself was readable as ASCII.
  return charset?.startsWith('utf-16') ? 'utf-8' : charset;
}

export function charsetFromXmlDeclaration(head: string): string | null {
  const match = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return match?.[1] ? normaliseCharset(match[1]) : null;
}

function normaliseCharset(label: string): string | null {
  const lower = label.trim().toLowerCase();
  const name = CHARSET_ALIASES[lower] ?? lower;
  try {
    new TextDecoder(name);
    return name;
  } catch {
    return null;
  }
}

function isNonAsciiUtf8(bytes: Uint8Array): boolean {
  if (!bytes.some((b) => b > 0x7f)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Where a charset may be declared, in order of trust (after the BOM). */
const DECLARATIONS: Array<{ via: DecodedBody['via']; detect: (contentType: string | null, head: string) => string | null }> = [
  { via: 'header', detect: (contentType) => charsetFromContentType(contentType) },
  { via: 'xml', detect: (_, head) => charsetFromXmlDeclaration(head) },
  { via: 'meta', detect: (_, head) => charsetFromMeta(head) },
];

export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return finish(bytes.subarray(bom.bytes.length), bom.charset, 'bom');
    }
  }
  // <meta charset> must appear in the first 1024 bytes per the HTML spec; allow a little more.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  for (const { via, detect } of DECLARATIONS) {
    const charset = detect(contentType ?? null, head);
    if (!charset) continue;
    if (LATIN_LABELS.has(charset) && isNonAsciiUtf8(bytes)) return finish(bytes, 'utf-8', 'sniff');
    return finish(bytes, charset, via);
  }
  return finish(bytes, 'utf-8', 'default');
}

function finish(bytes: Uint8Array, charset: string, via: DecodedBody['via']): DecodedBody {
  const text = new TextDecoder(charset).decode(bytes).normalize('NFC');
  return { text, charset, via };
}
