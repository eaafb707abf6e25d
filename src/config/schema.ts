import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { cronProblem } from './cron.js';

/** src/config/schema.ts and dist/config/schema.js both sit two folders below the package root. */
export const BUNDLED_TAXONOMY = fileURLToPath(new URL('../../config/categories.yaml', import.meta.url));

const httpUrl = z.string().refine((value) => /^https?:\/\/[^/\s]+/i.test(value), { message: 'must be an absolute http(s) URL' });

const regexString = z.string().refine(
  (value) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression' },
);

const redisUrl = z.string().regex(/^rediss?:\/\/[^/\s]+/, 'must be a redis:// or rediss:// URL');

/** The Redis topologies a store may use; exactly one may be set. */
export const REDIS_TOPOLOGY_KEYS = ['redisUrl', 'redisCluster', 'redisSentinel'] as const;

const cronExpression = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be a valid cron expression, e.g. "*/15 * * * *" (${problem})` });
});

export const selectorsSchema = z
  .strictObject({
    title: z.string().optional(),
    date: z.string().optional(),
    lead: z.string().optional(),
    body: z.string().optional(),
    author: z.string().optional(),
    image: z.string().optional(),
    remove: z.array(z.string()).optional(),
    listingLinks: z.string().optional(),
    nextPage: z.string().optional(),
  })
  .prefault({});

export const httpOptionsSchema = z
  .strictObject({
    timeoutMs: z.number().int().positive().default(15_000),
    retries: z.number().int().min(0).max(10).default(2),
    concurrency: z.number().int().min(1).max(32).default(2),
    delayMs: z.number().int().min(0).default(500),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    userAgent: z.string().min(1).optional(),
    ca: z.string().min(1).optional(),
    insecureTLS: z.boolean().default(false),
    respectRobots: z.boolean().default(true),
  })
  .prefault({});

export const sectionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)'),
  name: z.string().min(1),
  url: z.string().min(1),
  /** Article links of this section, when they differ from the source's `linkPattern`. */
  linkPattern: regexString.optional(),
});

export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)'),
  name: z.string().min(1),
  type: z.enum(['portal', 'rss']).default('portal'),
  baseUrl: httpUrl,
  /** For `type: rss`: the feed URL (absolute, or a path on baseUrl). */
  feedUrl: z.string().min(1).optional(),
  /** For `type: rss`: fetch each article page for the full text. */
  fullText: z.boolean().default(false),
  schedule: cronExpression.default('*/15 * * * *'),
  /** Portal sources: none given, the crawler discovers them (menus, sitemaps, feeds) and keeps them for a day. */
  sections: z.array(sectionSchema).default([]),
  linkPattern: regexString.optional(),
  /** Portal sources: a sitemap (or sitemap index) to crawl beside the sections; absolute, or a path on baseUrl. */
  sitemap: z.string().min(1).optional(),
  /** Portal sources: feeds whose item links are crawled as articles; a feed that is dead or empty is skipped. */
  feeds: z.array(z.string().min(1)).optional(),
  maxPages: z.number().int().min(1).max(1000).default(3),
  selectors: selectorsSchema,
  http: httpOptionsSchema,
  /** Hosts besides the origins of baseUrl, sections and feedUrl that pages may be fetched from (`cdn.example`, `host:port`, `https://host`). */
  allowHosts: z.array(z.string().regex(/^(?:https?:\/\/)?[^\s/?#]+$/, 'must be a host, host:port or http(s)://host[:port]')).default([]),
  enabled: z.boolean().default(true),
});

export const REFRESH_DAYS_DEFAULT = 3;

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        port: z.number().int().min(0).max(65535).default(8080),
        host: z.string().default('0.0.0.0'),
        publicUrl: httpUrl.default('http://localhost:8080'),
        adminToken: z.string().min(16, 'must be at least 16 characters').nullable().default(null),
      })
      .prefault({}),
    store: z
      .strictObject({
        redisUrl: redisUrl.nullable().default(null),
        /** Seed nodes of a Redis Cluster (ioredis Cluster client); the key prefix's hash tag keeps every key in one slot. */
        redisCluster: z.array(redisUrl).min(1, 'needs at least one node URL').nullable().default(null),
        /** A Sentinel-managed master: its name and the sentinels to ask; writes wait for `waitReplicas` replicas. */
        redisSentinel: z
          .strictObject({
            name: z.string().min(1),
            sentinels: z.array(redisUrl).min(1, 'needs at least one sentinel URL'),
            waitReplicas: z.number().int().min(0).default(1),
          })
          .nullable()
          .default(null),
        dataDir: z.string().min(1).default('./data'),
        keyPrefix: z.string().min(1).default('{portalfeed}:'),
        retentionDays: z.number().int().positive().nullable().default(null),
        maxItems: z.number().int().positive().nullable().default(null),
        nearDuplicateDistance: z.number().int().min(0).max(16).default(3),
        /** `serve` runs the embedded store in a worker thread of its own (README "Embedded store: SQLite"). */
        thread: z.boolean().default(true),
      })
      .prefault({}),
    feed: z
      .strictObject({
        title: z.string().min(1).default('portalfeed'),
        description: z.string().default(''),
        language: z.string().min(2).default('vi'),
        maxItems: z.number().int().min(1).max(200).default(50),
        websubHub: httpUrl.nullable().default(null),
      })
      .prefault({}),
    crawl: z
      .strictObject({
        userAgent: z.string().min(1).default('portalfeed/0.1 (+https://github.com/portalfeed/portalfeed)'),
        /** Sources crawled at once by one process; each host keeps its own http.concurrency and delay. */
        concurrency: z.number().int().min(1).max(1000).default(16),
        /** Worker threads extracting fetched pages off the serving event loop; 0 = in the main thread, null = one per spare core (1–4). */
        parseWorkers: z.number().int().min(0).max(64).nullable().default(null),
        leaseMs: z.number().int().positive().default(60_000),
        shutdownGraceMs: z.number().int().positive().default(20_000),
        /** Each crawl re-checks items published in the last this many days (0: none; `crawl --refresh`: all). */
        refreshDays: z.number().min(0).default(REFRESH_DAYS_DEFAULT),
      })
      .prefault({}),
    /** Without taxonomyFile, the taxonomy shipped in the package (config/categories.yaml beside dist/ or src/). */
    tagging: z.strictObject({ taxonomyFile: z.string().min(1).default(BUNDLED_TAXONOMY) }).prefault({}),
    log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
    sources: z.array(sourceSchema).min(1, 'at least one source is needed'),
  })
  .superRefine((config, ctx) => {
    const topologies = REDIS_TOPOLOGY_KEYS.filter((key) => config.store[key] !== null);
    if (topologies.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['store'],
        message: `${topologies.map((key) => `store.${key}`).join(' and ')} are ${topologies.length === 2 ? 'both' : 'all'} set; set only one of store.redisUrl, store.redisCluster, store.redisSentinel`,
      });
    }
    if (config.store.redisCluster && !/\{[^}]+\}/.test(config.store.keyPrefix)) {
      ctx.addIssue({
        code: 'custom',
        path: ['store', 'keyPrefix'],
        message: 'needs a hash tag such as "{portalfeed}:" with store.redisCluster, so scripts and transactions stay in one slot',
      });
    }
    const seen = new Set<string>();
    config.sources.forEach((source, index) => {
      if (seen.has(source.id)) {
        ctx.addIssue({ code: 'custom', path: ['sources', index, 'id'], message: `duplicate source id "${source.id}"` });
      }
      seen.add(source.id);
      if (source.type === 'rss' && !source.feedUrl) {
        ctx.addIssue({ code: 'custom', path: ['sources', index, 'feedUrl'], message: 'an rss source needs feedUrl' });
      }
    });
  });

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
export type SectionConfig = SourceConfig['sections'][number];
export type HttpOptions = SourceConfig['http'];
export type Selectors = SourceConfig['selectors'];
