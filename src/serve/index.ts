export { createServer, parseLimit, type ServerOptions } from './server.js';
export { exportFeeds } from './export.js';
export { chooseEncoding, etagMatches, isNotModified, type Encoding } from './negotiate.js';
export { feedRoutes, type FeedRoute } from '../publish/routes.js';
