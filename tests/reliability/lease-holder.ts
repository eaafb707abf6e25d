/** Test child: takes a crawl lease on a store and holds it until killed. Args: dataDir redisUrl|- keyPrefix name */
import { silentLogger } from '../../src/core/log.js';
import { openStore } from '../../src/store/index.js';

const [dataDir, redisUrl, keyPrefix, name] = process.argv.slice(2) as [string, string, string, string];
const store = await openStore({
  dataDir,
  redisUrl: redisUrl === '-' ? null : redisUrl,
  keyPrefix,
  retentionDays: null,
  maxItems: null,
  nearDuplicateDistance: 3,
  logger: silentLogger(),
});
const lease = await store.lock.acquire(name, 120_000);
process.stdout.write(lease ? 'held\n' : 'busy\n');
setInterval(() => undefined, 60_000);
