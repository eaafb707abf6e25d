import { silentLogger } from '../../src/core/log.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/fetch/index.js';
import { FetchError } from '../../src/core/errors.js';

export const SEED_TITLE = 'Tổng kết công tác xây dựng Đảng năm 2023, triển khai nhiệm vụ năm 2024';
export const SEED_LEAD =
  '(Cổng TTĐT) Ngày 19/1, Ban Thường vụ (BTV) Tỉnh ủy tổ chức Hội nghị tổng kết công tác xây dựng Đảng năm 2023; triển khai nhiệm vụ năm 2024.';

export { seedText } from '../helpers/seed.js';

export function articleHtml(title: string, body: string, metaCharset?: string): string {
  const meta = metaCharset ? `<meta charset="${metaCharset}">` : '';
  return `<!doctype html><html lang="vi"><head>${meta}<title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

/** Test client: fast, no politeness delay, no retries unless asked, sleeps recorded instead of waited. */
export function testClient(overrides: Partial<HttpClientOptions> = {}): { client: HttpClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = createHttpClient({
    timeoutMs: 2_000,
    retries: 0,
    concurrency: 4,
    delayMs: 0,
    maxBodyBytes: 1024 * 1024,
    maxRedirects: 5,
    insecureTLS: false,
    respectRobots: true,
    userAgent: 'portalfeed/0.1 (+https://github.com/portalfeed/portalfeed)',
    logger: silentLogger(),
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

/** Runs the promise and returns the FetchError it must reject with. */
export async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw new Error(`expected a FetchError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the request to fail');
}

/** windows-1258 encoder: Node only decodes it. Tone marks are written as combining bytes, as real 1258 pages do. */
export function encodeWindows1258(text: string): Buffer {
  const decoder = new TextDecoder('windows-1258');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  const tones = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
  const out: number[] = [];
  const clusters = text.normalize('NFD').match(/\P{M}\p{M}*/gu) ?? [];
  for (const cluster of clusters) {
    const chars = [...cluster];
    const tone = chars.find((c) => tones.has(c));
    const base = chars
      .filter((c) => !tones.has(c))
      .join('')
      .normalize('NFC');
    const code = table.get(base);
    if (code === undefined) throw new Error(`cannot encode ${JSON.stringify(base)} in windows-1258`);
    out.push(code);
    if (tone) out.push(table.get(tone) as number);
  }
  return Buffer.from(out);
}
