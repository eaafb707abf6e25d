/** Decodes a response body by BOM, HTTP header or `<meta charset>`, in that order of trust; always NFC. */

const BOMS: Array<{ bytes: number[]; charset: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], charset: 'utf-8' },
  { bytes: [0xff, 0xfe], charset: 'utf-16le' },
  { bytes: [0xfe, 0xff], charset: 'utf-16be' },
];

/** Labels pages use that TextDecoder knows under another name. */
const CHARSET_ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'cp1258': 'windows-1258',
  'x-cp1258': 'windows-1258',
  'win-1258': 'windows-1258',
};

export interface DecodedBody {
  text: string;
  charset: string;
  /** Where the charset came from. */
  via: 'bom' | 'header' | 'meta' | 'default';
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1] ? normaliseCharset(match[1]) : null;
}

export function charsetFromMeta(head: string): string | null {
  const direct = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return direct?.[1] ? normaliseCharset(direct[1]) : null;
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

export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return finish(bytes.subarray(bom.bytes.length), bom.charset, 'bom');
    }
  }
  const fromHeader = charsetFromContentType(contentType);
  if (fromHeader) return finish(bytes, fromHeader, 'header');
  // <meta charset> must appear in the first 1024 bytes per the HTML spec; allow a little more.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const fromMeta = charsetFromMeta(head);
  if (fromMeta) return finish(bytes, fromMeta, 'meta');
  return finish(bytes, 'utf-8', 'default');
}

function finish(bytes: Uint8Array, charset: string, via: DecodedBody['via']): DecodedBody {
  const text = new TextDecoder(charset).decode(bytes).normalize('NFC');
  return { text, charset, via };
}
