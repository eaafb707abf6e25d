import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'config/default.yaml';

export interface LoadedConfig extends Config {
  /** Absolute path of the file the config came from. */
  file: string;
  /** Absolute path of the taxonomy file: tagging.taxonomyFile against the config file's folder, else the bundled one. */
  taxonomyPath: string;
}

function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Env variables that override config keys, applied before validation. */
const ENV_OVERRIDES: Array<{ env: string; path: string[]; parse: (raw: string) => unknown }> = [
  { env: 'PORT', path: ['server', 'port'], parse: (raw) => (/^\d+$/.test(raw) ? Number(raw) : raw) },
  { env: 'PUBLIC_URL', path: ['server', 'publicUrl'], parse: (raw) => raw },
  { env: 'ADMIN_TOKEN', path: ['server', 'adminToken'], parse: (raw) => raw },
  { env: 'REDIS_URL', path: ['store', 'redisUrl'], parse: (raw) => raw },
  { env: 'REDIS_CLUSTER_NODES', path: ['store', 'redisCluster'], parse: commaList },
  { env: 'REDIS_SENTINELS', path: ['store', 'redisSentinel', 'sentinels'], parse: commaList },
  { env: 'REDIS_SENTINEL_NAME', path: ['store', 'redisSentinel', 'name'], parse: (raw) => raw },
  { env: 'DATA_DIR', path: ['store', 'dataDir'], parse: (raw) => raw },
  { env: 'LOG_LEVEL', path: ['log', 'level'], parse: (raw) => raw.toLowerCase() },
];

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function resolveConfigFile(options: LoadOptions): string {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? env.PORTALFEED_CONFIG ?? DEFAULT_CONFIG_FILE;
  return isAbsolute(file) ? file : resolve(cwd, file);
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const file = resolveConfigFile(options);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${file}`, { cause });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(`config file ${file} is not valid YAML`, { cause });
  }
  return parseConfig(raw, { file, env: options.env ?? {}, cwd: options.cwd });
}

export function parseConfig(raw: unknown, options: { file: string; env?: NodeJS.ProcessEnv; cwd?: string | undefined }): LoadedConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config file ${options.file} must hold a mapping with server, store, feed and sources`);
  }
  const { raw: withEnv, applied } = applyEnv(structuredClone(raw) as Record<string, unknown>, options.env ?? {});
  const result = configSchema.safeParse(withEnv);
  if (!result.success) {
    throw new ConfigError(`invalid config ${options.file}: ${formatIssues(result.error, applied)}`, {
      details: { issues: result.error.issues },
    });
  }
  const config = result.data;
  const baseDir = dirname(options.file);
  return {
    ...config,
    store: { ...config.store, dataDir: resolve(options.cwd ?? process.cwd(), config.store.dataDir) },
    file: options.file,
    taxonomyPath: resolve(baseDir, config.tagging.taxonomyFile),
    sources: config.sources.map((source, index) => withCaFile(source, index, baseDir)),
  };
}

/** `http.ca` is resolved against the config's folder and must be readable now, not at the first crawl. */
function withCaFile<S extends { http: { ca?: string | undefined } }>(source: S, index: number, baseDir: string): S {
  if (!source.http.ca) return source;
  const ca = resolve(baseDir, source.http.ca);
  try {
    readFileSync(ca);
  } catch (cause) {
    throw new ConfigError(`invalid config: sources.${index}.http.ca: cannot read CA file ${ca}`, { cause });
  }
  return { ...source, http: { ...source.http, ca } };
}

/** Applies the env overrides; `applied` maps each overridden key (`server.port`) to its variable (`PORT`). */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): { raw: Record<string, unknown>; applied: Map<string, string> } {
  const applied = new Map<string, string>();
  for (const rule of ENV_OVERRIDES) {
    const value = env[rule.env];
    if (value === undefined || value === '') continue;
    let node = raw;
    for (const key of rule.path.slice(0, -1)) {
      const next = node[key];
      node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
      node = node[key] as Record<string, unknown>;
    }
    node[rule.path.at(-1)!] = rule.parse(value);
    applied.set(rule.path.join('.'), rule.env);
  }
  return { raw, applied };
}

/** Issues as `key: message`; a key set from the environment names its variable (never its value, which may be a secret). */
function formatIssues(error: z.ZodError, fromEnv: Map<string, string> = new Map()): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      const variable = fromEnv.get(path);
      const key = issue.path.length ? `${path}${variable ? ` (from the environment variable ${variable})` : ''}` : '(top level)';
      if (issue.code === 'unrecognized_keys') {
        return `${key === '(top level)' ? '' : key + '.'}${issue.keys.join(', ')}: unknown key${issue.keys.length > 1 ? 's' : ''}`;
      }
      return `${key}: ${issue.message}`;
    })
    .join('; ');
}
