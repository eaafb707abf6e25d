import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PUBLISH_MIN_INTERVAL_MS } from '../../src/publish/publisher.js';
import { makeItem, makePublisher } from './fixtures.js';
import { MemoryStore } from './memory-store.js';

/** Lets the publisher's promise chains (store reads, compression on the thread pool) run while the clock stands. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('publish(): changes rendered at most once per interval', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders the first change at once, and the changes of the next interval together once it has passed', async () => {
    const store = new MemoryStore();
    store.put(makeItem({ title: 'Bài thứ nhất' }));
    const publisher = makePublisher(store);
    expect(await publisher.publish()).toBe(true);
    expect(store.calls.latest).toBe(1);

    store.put(makeItem({ title: 'Bài thứ hai' }));
    const second = publisher.publish();
    store.put(makeItem({ title: 'Bài thứ ba' }));
    const third = publisher.publish();
    expect(third).toBe(second);
    await settle();
    expect(store.calls.latest).toBe(1);
    expect((await publisher.get('all', null, 'rss'))?.body.toString()).not.toContain('Bài thứ ba');

    await vi.advanceTimersByTimeAsync(PUBLISH_MIN_INTERVAL_MS);
    expect(await second).toBe(true);
    expect(store.calls.latest).toBe(2);
    const body = (await publisher.get('all', null, 'rss'))?.body.toString();
    expect(body).toContain('Bài thứ hai');
    expect(body).toContain('Bài thứ ba');
  });

  it('renders again after a render in flight that may have read the store before the change', async () => {
    const store = new MemoryStore();
    store.put(makeItem({ title: 'Bài cũ' }));
    const publisher = makePublisher(store);
    const inFlight = publisher.refresh();
    store.put(makeItem({ title: 'Bài vừa đăng' }));
    const published = publisher.publish();
    expect(await inFlight).toBe(true);
    await vi.advanceTimersByTimeAsync(PUBLISH_MIN_INTERVAL_MS);
    expect(await published).toBe(true);
    expect((await publisher.get('all', null, 'rss'))?.body.toString()).toContain('Bài vừa đăng');
  });

  it('does not start the interval for a check that found nothing new', async () => {
    const store = new MemoryStore();
    store.put(makeItem({ title: 'Bài đầu' }));
    const publisher = makePublisher(store);
    await publisher.refresh();
    await vi.advanceTimersByTimeAsync(PUBLISH_MIN_INTERVAL_MS);
    expect(await publisher.refresh()).toBe(false);
    store.put(makeItem({ title: 'Bài sau' }));
    expect(await publisher.publish()).toBe(true);
  });
});
