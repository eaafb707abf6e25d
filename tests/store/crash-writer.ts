// Child process for crash.test.ts: upserts articles in a loop and prints "ack <guid> <url>" once each
// upsert has resolved. Run as: node --import tsx tests/store/crash-writer.ts
//   <embedded|threaded|redis> <dataDir> <keyPrefix> <redisUrl> <start> [count]
// With a count it stops after that many articles, closes the store and prints "closed" (close.test.ts).
import { openStore } from '../../src/store/index.js';
import { fromArticle, storeOptionsFor, uniqueArticle } from './helpers.js';

const [kind = 'embedded', dataDir = '', keyPrefix = '', redisUrl = '', startArg = '0', countArg] = process.argv.slice(2);
const end = countArg === undefined ? Infinity : Number(startArg) + Number(countArg);
const store = await openStore(storeOptionsFor(kind === 'redis' || kind === 'threaded' ? kind : 'embedded', { dataDir, keyPrefix, redisUrl }));
process.stdout.write('ready\n');
for (let i = Number(startArg); i < end; i++) {
  // Every third article is also seen under a tracking-parameter variant of its URL.
  const url = `https://www.quangtri.gov.vn/tin-tuc/bai-${i}`;
  const out = await store.upsert(fromArticle(uniqueArticle(i), url, { publishedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() }));
  process.stdout.write(`ack ${out.item.guid} ${url}\n`);
  if (i % 3 === 0) {
    const variant = await store.upsert(
      fromArticle(uniqueArticle(i), `${url}?utm_source=zalo`, { publishedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() }),
    );
    process.stdout.write(`ack ${variant.item.guid} ${url}?utm_source=zalo\n`);
  }
}
await store.close();
process.stdout.write('closed\n');
