import { createHash } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ReplayRoute } from './types.js';

export const DEFAULT_LAST_MODIFIED = 'Mon, 15 Jan 2024 08:00:00 GMT';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
};

export const ENCODERS: Record<NonNullable<ReplayRoute['encoding']>, (buf: Buffer) => Buffer> = {
  gzip: (buf) => zlib.gzipSync(buf),
  br: (buf) => zlib.brotliCompressSync(buf),
  deflate: (buf) => zlib.deflateSync(buf),
};

export function contentTypeFor(name: string): string {
  const pathname = name.split('?')[0] ?? name;
  return CONTENT_TYPES[path.extname(pathname).toLowerCase()] ?? 'text/html; charset=utf-8';
}

export function etagOf(bytes: Buffer, encoding: string | null): string {
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 27);
  return `"${hash}${encoding ? `-${encoding}` : ''}"`;
}

export function acceptsEncoding(header: string | undefined, coding: string): boolean {
  return (header ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .some(([name, q]) => name?.trim().toLowerCase() === coding && !/q\s*=\s*0(\.0*)?$/.test(q ?? ''));
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since. */
export function isNotModified(req: http.IncomingMessage, etag: string, lastModified: string): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return etagMatches(inm, etag);
  const ims = req.headers['if-modified-since'];
  if (!ims) return false;
  const since = Date.parse(ims);
  const modified = Date.parse(lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}
