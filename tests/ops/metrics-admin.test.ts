import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_SITE, startHarness, type Harness } from '../helpers/app.js';

const TOKEN = 'test-admin-token-0123456789';

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('metrics and the admin route', () => {
  let h: Harness;
  let url: string;

  beforeAll(async () => {
    h = await startHarness('embedded', PORTAL_SITE, (c) => ({ ...c, server: { ...c.server, adminToken: TOKEN } }));
    url = h.url;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('exports crawl, item, request, feed and store metrics with real values after a crawl', async () => {
    await h.app.crawler.run('quangtri');
    await h.app.publisher.refresh();
    const etag = (await fetch(`${url}/feed.xml`)).headers.get('etag')!;
    expect((await fetch(`${url}/feed.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(metricValue(text, 'portalfeed_crawl_runs_total', { source: 'quangtri', outcome: 'partial' })).toBe(1);
    expect(metricValue(text, 'portalfeed_items_total', { source: 'quangtri', status: 'new' })).toBe(4);
    expect(metricValue(text, 'portalfeed_crawl_errors_total', { source: 'quangtri', kind: 'http_status' })).toBe(1);
    expect(metricValue(text, 'portalfeed_fetch_requests_total', { source: 'quangtri', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'portalfeed_fetch_requests_total', { source: 'quangtri', status: '200' })).toBeGreaterThanOrEqual(6);
    expect(metricValue(text, 'portalfeed_http_requests_total', { route: '/feed.xml', status: '200' })).toBe(1);
    expect(metricValue(text, 'portalfeed_http_requests_total', { route: '/feed.xml', status: '304' })).toBe(1);
    expect(metricValue(text, 'portalfeed_store_operation_seconds_count', { store: 'embedded', op: 'upsert' })).toBe(4);
    expect(metricValue(text, 'portalfeed_crawl_duration_seconds_count', { source: 'quangtri' })).toBe(1);
    expect(text).toMatch(/^portalfeed_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^portalfeed_items_stored\{source="quangtri"\} 4$/m);
    // Request counts are tallied outside prom-client and handed over at each scrape: never counted twice.
    await fetch(`${url}/feed.xml`, { headers: { 'if-none-match': etag } });
    const again = await (await fetch(`${url}/metrics`)).text();
    expect(metricValue(again, 'portalfeed_http_requests_total', { route: '/feed.xml', status: '304' })).toBe(2);
    expect(metricValue(again, 'portalfeed_http_requests_total', { route: '/feed.xml', status: '200' })).toBe(1);
    expect(metricValue(again, 'portalfeed_http_requests_total', { route: '/metrics', status: '200' })).toBe(1);
  });

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }, 401],
    ['the token', { authorization: `Bearer ${TOKEN}` }, 202],
  ])('POST /admin/crawl with %s → %s', async (_label, headers, status) => {
    const response = await fetch(`${url}/admin/crawl?source=quangtri`, { method: 'POST', headers });
    expect(response.status).toBe(status);
    if (status === 202) await new Promise((r) => setTimeout(r, 200));
  });

  it('answers 404 for an unknown source and refuses other methods on feeds', async () => {
    const unknown = await fetch(`${url}/admin/crawl?source=nope`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unknown.status).toBe(404);
    const put = await fetch(`${url}/feed.xml`, { method: 'PUT' });
    expect(put.status).toBe(405);
  });
});
