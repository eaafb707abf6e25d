import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { ReplayOptions, ReplayRoute } from './types.js';

const routeSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  body: z.string().optional(),
  file: z.string().min(1).optional(),
  contentType: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  lastModified: z.string().min(1).optional(),
  encoding: z.enum(['gzip', 'br', 'deflate']).optional(),
});

const manifestSchema = z.strictObject({
  routes: z.record(z.string().regex(/^\//, 'route keys are paths starting with "/"'), z.union([z.string().min(1), routeSchema])),
  robots: z.string().nullable().optional(),
  /** A file holding robots.txt, relative to the folder; an alternative to `robots`. */
  robotsFile: z.string().min(1).optional(),
  /** Replace `{{origin}}` in text bodies (and robots.txt) with the server's origin: for absolute sitemap and feed URLs. */
  template: z.boolean().optional(),
});

/** Reads a site folder's `site.json`: { "routes": { "/path?query": "file.html" | ReplayRoute }, "robots": "..." }. */
export function loadReplaySite(dir: string): ReplayOptions {
  const root = path.resolve(dir);
  const manifestPath = path.join(root, 'site.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`cannot read replay site manifest ${manifestPath}`, { cause });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid replay site manifest ${manifestPath}: ${issues}`, { cause: parsed.error });
  }
  const routes: Record<string, ReplayRoute> = {};
  for (const [key, value] of Object.entries(parsed.data.routes)) {
    routes[key] = typeof value === 'string' ? { file: value } : stripUndefined(value);
  }
  const { robots, robotsFile, template } = parsed.data;
  const robotsText = robotsFile ? readFileSync(path.resolve(root, robotsFile), 'utf8') : robots;
  return { routes, root, ...(robotsText === undefined ? {} : { robots: robotsText }), ...(template ? { template } : {}) };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
