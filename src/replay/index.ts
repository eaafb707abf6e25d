export { startReplayPortal } from './server.js';
export { loadReplaySite } from './site.js';
export { contentTypeFor, DEFAULT_LAST_MODIFIED } from './http.js';
export type { Fault, ReplayOptions, ReplayPortal, ReplayRoute, RequestRecord } from './types.js';
