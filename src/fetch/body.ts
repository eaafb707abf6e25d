import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

/** Raised when a body (raw or decoded) passes the limit. */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BUFFER_TOO_LARGE';
  constructor(
    readonly limit: number,
    readonly phase: 'declared' | 'raw' | 'decoded',
  ) {
    super(`body larger than ${limit} bytes (${phase})`);
  }
}

export class UnsupportedEncodingError extends Error {
  readonly code = 'ERR_UNSUPPORTED_ENCODING';
  constructor(readonly encoding: string) {
    super(`unsupported content-encoding "${encoding}"`);
  }
}

type Inflater = (buf: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;

const gunzip = promisify(zlib.gunzip) as Inflater;
const inflate = promisify(zlib.inflate) as Inflater;
const inflateRaw = promisify(zlib.inflateRaw) as Inflater;
const brotli = promisify(zlib.brotliDecompress) as Inflater;

/** Content codings we decode; deflate falls back to raw deflate, which some servers send by mistake. */
const DECODERS: Record<string, (buf: Buffer, max: number) => Promise<Buffer>> = {
  gzip: (buf, max) => gunzip(buf, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  'x-gzip': (buf, max) => gunzip(buf, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  deflate: (buf, max) => inflate(buf, { maxOutputLength: max }).catch(() => inflateRaw(buf, { maxOutputLength: max })),
  br: (buf, max) => brotli(buf, { maxOutputLength: max }),
  identity: async (buf) => buf,
};

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Reads a stream into one buffer, destroying it as soon as it passes `limit` bytes. */
export async function readLimited(
  body: Readable,
  limit: number,
  options: { onBytes?: (n: number) => void; truncate?: boolean } = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    options.onBytes?.(buf.length);
    if (total + buf.length > limit) {
      body.destroy();
      if (!options.truncate) throw new BodyTooLargeError(limit, 'raw');
      chunks.push(buf.subarray(0, limit - total));
      return Buffer.concat(chunks, limit);
    }
    total += buf.length;
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** Undoes the content codings in reverse order of application; decoded size is capped too (zip bombs). */
export async function decodeContent(raw: Buffer, contentEncoding: string | null, limit: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean)
    .reverse();
  let out = raw;
  for (const coding of codings) {
    const decoder = DECODERS[coding];
    if (!decoder) throw new UnsupportedEncodingError(coding);
    if (out.length === 0) continue;
    try {
      out = await decoder(out, limit);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new BodyTooLargeError(limit, 'decoded');
      }
      throw err;
    }
  }
  return out;
}
