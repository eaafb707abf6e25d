import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEFAULT_LAST_MODIFIED, ENCODERS, acceptsEncoding, contentTypeFor, etagOf, isNotModified } from './http.js';
import type { Fault, ReplayOptions, ReplayPortal, ReplayRoute, RequestRecord } from './types.js';

interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: RequestRecord;
  key: string;
}

interface Content {
  status: number;
  bytes: Buffer;
  headers: Record<string, string>;
}

const ALLOWED_METHODS = new Set(['GET', 'HEAD']);

class ReplayServer {
  readonly requests: RequestRecord[] = [];
  private readonly routes: Map<string, ReplayRoute>;
  private readonly faults = new Map<string, Fault>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private robots: string | null;

  constructor(private readonly options: ReplayOptions) {
    this.routes = new Map(Object.entries(options.routes));
    this.robots = options.robots ?? null;
  }

  setRoute(key: string, route: ReplayRoute | null): void {
    if (route) this.routes.set(key, route);
    else this.routes.delete(key);
  }

  setFault(key: string, fault: Fault | null): void {
    if (fault) this.faults.set(key, { ...fault });
    else this.faults.delete(key);
  }

  setRobots(text: string | null): void {
    this.robots = text;
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const key = req.url ?? '/';
    const record: RequestRecord = { method: req.method ?? 'GET', path: key, status: 0, at: Date.now(), headers: { ...req.headers } };
    this.requests.push(record);
    const ex: Exchange = { req, res, record, key };
    try {
      if (!ALLOWED_METHODS.has(record.method)) {
        this.send(ex, { status: 405, bytes: Buffer.from('method not allowed'), headers: { allow: 'GET, HEAD' } });
        return;
      }
      const fault = this.faults.get(key);
      if (fault && (await this.applyFault(ex, fault))) return;
      this.serve(ex, await this.content(key, req));
    } catch (err) {
      if (!res.headersSent) this.send(ex, { status: 500, bytes: Buffer.from(String(err)), headers: {} });
      else res.destroy();
    }
  }

  /** Returns true when the fault answered the request itself. */
  private async applyFault(ex: Exchange, fault: Fault): Promise<boolean> {
    switch (fault.kind) {
      case 'slow':
        await this.delay(fault.delayMs);
        return false;
      case 'slowBody':
        await this.slowBody(ex, fault.delayMs);
        return true;
      case 'status':
        this.statusFault(ex, fault);
        return true;
      case 'reset':
        ex.record.status = 0;
        ex.req.socket.resetAndDestroy();
        return true;
      case 'truncate':
        await this.truncate(ex);
        return true;
      case 'oversize':
        await this.oversize(ex, fault.bytes, fault.chunked ?? false);
        return true;
      case 'redirectLoop':
        this.redirect(ex, 302, ex.key);
        return true;
      case 'redirect':
        this.redirect(ex, fault.status ?? 302, fault.to);
        return true;
    }
  }

  private statusFault(ex: Exchange, fault: Extract<Fault, { kind: 'status' }>): void {
    if (fault.times !== undefined) {
      fault.times--;
      if (fault.times <= 0) this.faults.delete(ex.key);
    }
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    this.send(ex, { status: fault.status, bytes: Buffer.from(`HTTP ${fault.status}`), headers });
  }

  private redirect(ex: Exchange, status: number, to: string): void {
    this.send(ex, { status, bytes: Buffer.from(`see ${to}`), headers: { location: to, 'content-type': 'text/plain' } });
  }

  private async slowBody(ex: Exchange, delayMs: number): Promise<void> {
    const content = await this.content(ex.key, ex.req);
    const bytes = content.bytes.length ? content.bytes : Buffer.from('<html><body>slow</body></html>');
    ex.record.status = content.status;
    ex.res.writeHead(content.status, { ...content.headers, 'content-length': String(bytes.length) });
    ex.res.flushHeaders();
    await this.delay(delayMs);
    if (!ex.res.destroyed) ex.res.end(bytes);
  }

  private async truncate(ex: Exchange): Promise<void> {
    const content = await this.content(ex.key, ex.req);
    const bytes = content.status === 200 ? content.bytes : Buffer.from('<html><body>' + 'x'.repeat(2000));
    ex.record.status = 200;
    ex.res.writeHead(200, { ...content.headers, 'content-length': String(bytes.length + 1000) });
    ex.res.write(bytes, () => ex.req.socket.destroy());
  }

  private async oversize(ex: Exchange, total: number, chunked: boolean): Promise<void> {
    ex.record.status = 200;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (!chunked) headers['content-length'] = String(total);
    ex.res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < total && !ex.res.destroyed; sent += chunk.length) {
      const ok = ex.res.write(chunk.subarray(0, Math.min(chunk.length, total - sent)));
      if (!ok) await drainedOrClosed(ex.res);
    }
    if (!ex.res.destroyed) ex.res.end();
  }

  /** What a route answers, before conditional and encoding handling. */
  private async content(key: string, req: http.IncomingMessage): Promise<Content> {
    const route = this.routes.get(key);
    if (!route) {
      if (key === '/robots.txt' && this.robots !== null) {
        return { status: 200, bytes: this.templated(Buffer.from(this.robots), req), headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
      return { status: 404, bytes: Buffer.from('not found'), headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    const type = route.contentType ?? contentTypeFor(route.file ?? key);
    const bytes = /^text\/|xml|json/.test(type) ? this.templated(await this.routeBytes(route), req) : await this.routeBytes(route);
    const lastModified = route.lastModified ?? DEFAULT_LAST_MODIFIED;
    const accepted = route.encoding && acceptsEncoding(headerValue(req.headers['accept-encoding']), route.encoding) ? route.encoding : null;
    const body = accepted ? ENCODERS[accepted](bytes) : bytes;
    const headers: Record<string, string> = {
      'content-type': type,
      etag: etagOf(bytes, accepted),
      'last-modified': lastModified,
      ...(route.encoding ? { vary: 'Accept-Encoding' } : {}),
      ...(accepted ? { 'content-encoding': accepted } : {}),
      ...route.headers,
    };
    return { status: route.status ?? 200, bytes: body, headers };
  }

  private templated(bytes: Buffer, req: http.IncomingMessage): Buffer {
    if (!this.options.template) return bytes;
    const origin = `${this.options.tls ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`;
    return Buffer.from(bytes.toString('utf8').replaceAll('{{origin}}', origin), 'utf8');
  }

  private async routeBytes(route: ReplayRoute): Promise<Buffer> {
    if (route.body !== undefined) return Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body, 'utf8');
    if (route.file === undefined) return Buffer.alloc(0);
    // Files come from the manifest, never from the request path, so `../shared/page.html` is fine.
    return readFile(path.resolve(this.options.root ?? process.cwd(), route.file));
  }

  private serve(ex: Exchange, content: Content): void {
    const { etag, 'last-modified': lastModified } = content.headers;
    if (content.status === 200 && etag && lastModified && isNotModified(ex.req, etag, lastModified)) {
      const { 'content-type': _type, 'content-encoding': _enc, ...rest } = content.headers;
      this.send(ex, { status: 304, bytes: Buffer.alloc(0), headers: rest });
      return;
    }
    this.send(ex, content);
  }

  private send(ex: Exchange, content: Content): void {
    ex.record.status = content.status;
    const bodyless = content.status === 304 || content.status === 204;
    const headers = bodyless ? content.headers : { ...content.headers, 'content-length': String(content.bytes.length) };
    ex.res.writeHead(content.status, headers);
    ex.res.end(ex.req.method === 'HEAD' || bodyless ? undefined : content.bytes);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Waits for `drain` or `close`, removing the other listener: a long body would otherwise pile up `close` listeners. */
function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Starts the replay portal on 127.0.0.1 (ephemeral port unless told otherwise). */
export async function startReplayPortal(options: ReplayOptions): Promise<ReplayPortal> {
  const state = new ReplayServer(options);
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => void state.handle(req, res);
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  server.on('clientError', (_err, socket) => socket.destroy());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    requests: state.requests,
    count: (prefix?: string) => state.requests.filter((r) => prefix === undefined || r.path.startsWith(prefix)).length,
    reset: () => void state.requests.splice(0),
    setRoute: (key, route) => state.setRoute(key, route),
    setFault: (key, fault) => state.setFault(key, fault),
    setRobots: (text) => state.setRobots(text),
    close: () =>
      new Promise<void>((resolve) => {
        state.clearTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
