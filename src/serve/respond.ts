import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Representation } from '../publish/representation.js';
import { chooseEncoding, isNotModified, type Encoding } from './negotiate.js';

export type Headers = Record<string, string | number>;

export const CORS_HEADERS: Headers = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Link, Content-Length',
};

/** Short plain-text answer (errors, 404s). */
export function sendText(res: ServerResponse, status: number, text: string, headers: Headers = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Headers = {}): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Response headers of one representation served under one set of route headers, as flat lists. */
interface PreparedHeaders {
  notModified: Array<string | number>;
  ok: Record<Encoding, Array<string | number>>;
}

const flat = (headers: Headers): Array<string | number> => Object.entries(headers).flat();

function prepare(rep: Representation, headers: Headers): PreparedHeaders {
  const common: Headers = {
    ETag: rep.etag,
    'Last-Modified': rep.lastModified.toUTCString(),
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  };
  const ok = (encoding: Encoding, body: Buffer): Array<string | number> =>
    flat({
      ...common,
      'Content-Type': rep.contentType,
      'Content-Length': body.length,
      ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
    });
  return { notModified: flat(common), ok: { identity: ok('identity', rep.body), gzip: ok('gzip', rep.gzip), br: ok('br', rep.br) } };
}

// Representations and route headers live until the next render: headers are built once per pair, not per request.
const prepared = new WeakMap<Representation, WeakMap<Headers, PreparedHeaders>>();

function preparedFor(rep: Representation, headers: Headers): PreparedHeaders {
  let byHeaders = prepared.get(rep);
  if (!byHeaders) prepared.set(rep, (byHeaders = new WeakMap()));
  let result = byHeaders.get(headers);
  if (!result) byHeaders.set(headers, (result = prepare(rep, headers)));
  return result;
}

/**
 * Serves pre-made bytes: 304 when the validators match (validators repeated), else the best
 * encoding the client accepts. HEAD gets the same headers without the body. `headers` should be a
 * long-lived object (per route), so its prepared form is reused.
 */
export function sendRepresentation(req: IncomingMessage, res: ServerResponse, rep: Representation, headers: Headers): void {
  const ready = preparedFor(rep, headers);
  const inm = req.headers['if-none-match'];
  if (inm === rep.etag || isNotModified(req.headers, rep.etag, rep.lastModified)) {
    res.writeHead(304, ready.notModified);
    res.end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const body = encoding === 'br' ? rep.br : encoding === 'gzip' ? rep.gzip : rep.body;
  res.writeHead(200, ready.ok[encoding]);
  res.end(req.method === 'HEAD' ? undefined : body);
}
