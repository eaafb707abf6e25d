import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Bytes of one rendered document with its compressed variants and validators, made once and served many times. */
export interface Representation {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong ETag: `"` + hash of the identity body + `"`. */
  etag: string;
  /** Whole seconds (HTTP dates carry no milliseconds). */
  lastModified: Date;
  contentType: string;
  /** `ETag` and `Last-Modified` as sent, written once with the bytes: a 304 repeats them. */
  validators: Readonly<Record<'ETag' | 'Last-Modified', string>>;
}

export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

export async function makeRepresentation(text: string, contentType: string, lastModified: Date): Promise<Representation> {
  const body = Buffer.from(text, 'utf8');
  const [gz, br] = await Promise.all([
    gzipAsync(body, { level: 9 }),
    brotliAsync(body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        // a window no larger than the body saves most of the encoder's set-up cost on small feeds
        [constants.BROTLI_PARAM_LGWIN]: Math.max(16, Math.min(24, Math.ceil(Math.log2(body.length + 1)))),
      },
    }),
  ]);
  const modified = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  const etag = strongEtag(body);
  return { body, gzip: gz, br, etag, lastModified: modified, contentType, validators: { ETag: etag, 'Last-Modified': modified.toUTCString() } };
}
