import { FetchError } from '../core/errors.js';

/** What a hub answered: the global fetch's Response or undici.request's ResponseData both fit. */
export interface HubResponse {
  status?: number;
  statusCode?: number;
  text?(): Promise<string>;
  body?: unknown;
}

/** The HTTP client the caller passes in: global `fetch` or undici's `request` (no client is made here). */
export type HubRequest = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<HubResponse>;

async function responseText(response: HubResponse): Promise<string> {
  try {
    if (response.text) return await response.text();
    const body = response.body as { text?: () => Promise<string> } | undefined;
    return body?.text ? await body.text() : '';
  } catch {
    return '';
  }
}

/**
 * Tells a WebSub hub that topics changed (`hub.mode=publish`, one `hub.url` per topic, as most hubs
 * accept). Throws FetchError when the hub does not answer or does not accept the ping.
 */
export async function pingHub(hub: string, topicUrls: string[], request: HubRequest, timeoutMs = 10_000): Promise<void> {
  if (!topicUrls.length) return;
  const form = new URLSearchParams({ 'hub.mode': 'publish' });
  for (const url of topicUrls) form.append('hub.url', url);
  let response: HubResponse;
  try {
    response = await request(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new FetchError('FETCH_NETWORK', `WebSub hub ${hub} did not answer`, { url: hub, cause });
  }
  const status = response.status ?? response.statusCode ?? 0;
  const detail = (await responseText(response)).slice(0, 200);
  if (status < 200 || status >= 300) {
    throw new FetchError('FETCH_HTTP_STATUS', `WebSub hub ${hub} answered ${status}${detail ? `: ${detail}` : ''}`, { url: hub, status });
  }
}
