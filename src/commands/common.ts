import { readFileSync, existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { SourceConfig } from '../config/schema.js';
import { PortalfeedError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { decodeBody } from '../fetch/decode.js';

export function loadCommandConfig(file: string | undefined, overrides: { port?: number; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = { ...(overrides.env ?? process.env) };
  if (overrides.port !== undefined) env.PORT = String(overrides.port);
  return loadConfig({ file, env });
}

/** Commands that print results log to stderr; `serve` logs JSON to stdout. */
export function commandLogger(config: LoadedConfig, options: { stderr?: boolean } = { stderr: true }): Logger {
  return createLogger({ level: config.log.level, stderr: options.stderr });
}

/** The configured source whose host serves this URL, if any (for its selectors and HTTP settings). */
export function sourceForUrl(config: LoadedConfig, url: string): SourceConfig | undefined {
  const host = (u: string) => new URL(u).hostname.replace(/^www\./, '');
  return config.sources.find((source) => host(source.baseUrl) === host(url));
}

/** Reads an article from a URL (through the polite client) or from a saved HTML file. */
export async function readPage(
  target: string,
  config: LoadedConfig,
  logger: Logger,
  baseUrl?: string,
): Promise<{ html: string; url: string; source: SourceConfig | undefined }> {
  if (!/^https?:\/\//i.test(target)) {
    const path = resolve(target);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new PortalfeedError('USAGE', `${target} is neither an http(s) URL nor a readable file`);
    }
    const url = baseUrl ?? pathToFileURL(path).href;
    return { html: decodeBody(readFileSync(path)).text, url, source: baseUrl ? sourceForUrl(config, baseUrl) : undefined };
  }
  const source = sourceForUrl(config, target);
  const http = source?.http ?? config.sources[0]!.http;
  const { createHttpClient } = await import('../fetch/index.js');
  const client = createHttpClient({ ...http, userAgent: http.userAgent ?? config.crawl.userAgent, logger });
  try {
    const response = await client.get({ url: target });
    return { html: response.text, url: response.url, source };
  } finally {
    await client.close();
  }
}
