/** The replay portal: a local HTTP server that plays back portal pages and injects faults. */

export interface ReplayRoute {
  status?: number;
  body?: string | Buffer;
  file?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** HTTP date; default a fixed date. */
  lastModified?: string;
  /** Compress the body with this coding when the client accepts it. */
  encoding?: 'gzip' | 'br' | 'deflate';
}

export type Fault =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'slowBody'; delayMs: number }
  | { kind: 'status'; status: number; retryAfter?: string; times?: number }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'oversize'; bytes: number; chunked?: boolean }
  | { kind: 'redirectLoop' }
  | { kind: 'redirect'; to: string; status?: number };

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReplayPortal {
  readonly url: string;
  readonly requests: RequestRecord[];
  count(pathPrefix?: string): number;
  reset(): void;
  setRoute(path: string, route: ReplayRoute | null): void;
  setFault(path: string, fault: Fault | null): void;
  setRobots(text: string | null): void;
  close(): Promise<void>;
}

export interface ReplayOptions {
  routes: Record<string, ReplayRoute>;
  robots?: string | null;
  host?: string;
  port?: number;
  /** Folder `file` routes are read from. */
  root?: string;
  /** Replace `{{origin}}` in text bodies and robots.txt with the origin the request was addressed to. */
  template?: boolean;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}
