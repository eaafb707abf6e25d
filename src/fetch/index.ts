export { createHttpClient, productTokenOf, DEFAULT_ACCEPT } from './client.js';
export type { HttpClient, HttpClientOptions, FetchRequest, FetchResponse, HttpStats, RequestEvent } from './client.js';
export { decodeBody, charsetFromContentType, charsetFromMeta } from './decode.js';
export { parseRobots, ALLOW_ALL, DISALLOW_ALL } from './robots.js';
export type { RobotsRules } from './robots.js';
export { classifyError, ERROR_TABLE } from './errors.js';
export { parseRetryAfter, backoffDelay } from './retry.js';
export { HostScheduler } from './scheduler.js';
