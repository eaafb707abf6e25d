import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articlesInProcess, settleEach } from '../../src/crawl/in-process.js';
import { sourceSchema } from '../../src/config/schema.js';

const tick = (turns: number) => new Promise<void>((resolve) => (turns <= 0 ? resolve() : setImmediate(() => void tick(turns - 1).then(resolve))));

describe('settleEach', () => {
  it('settles every item in order, as Promise.allSettled does, with never more than the limit at work', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ turns: fc.nat(3), fails: fc.boolean() }), { maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        async (items, limit) => {
          let atWork = 0;
          let most = 0;
          const work = async (item: { turns: number; fails: boolean }, index: number) => {
            atWork += 1;
            most = Math.max(most, atWork);
            await tick(item.turns);
            atWork -= 1;
            if (item.fails) throw new Error(`item ${index}`);
            return index;
          };
          const got = await settleEach(items, limit, work);
          const expected = await Promise.allSettled(
            items.map((item, i) => (item.fails ? Promise.reject(new Error(`item ${i}`)) : Promise.resolve(i))),
          );
          expect(got).toEqual(expected);
          expect(most).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the lanes full: with a limit of 3, three items are at work until the last ones', async () => {
    const started: number[] = [];
    const gates = Array.from({ length: 7 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const done = settleEach(gates, 3, async (gate, i) => {
      started.push(i);
      await gate.promise;
    });
    await tick(2);
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    await tick(2);
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect((await done).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a synchronous throw is a rejection, not an escape', async () => {
    const [result] = await settleEach([1], 2, () => {
      throw new Error('sync');
    });
    expect(result).toMatchObject({ status: 'rejected', reason: { message: 'sync' } });
  });
});

it.each([
  [1, 2],
  [2, 4],
  [4, 8],
])('a source whose host allows %i requests at once has %i articles in process', (concurrency, expected) => {
  const source = sourceSchema.parse({ id: 's', name: 'S', baseUrl: 'http://127.0.0.1:1/', http: { concurrency } });
  expect(articlesInProcess(source)).toBe(expected);
});
