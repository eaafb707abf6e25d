import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Postings } from '../../src/store/postings.js';

describe('Postings', () => {
  it('answers like a map of sets for any sequence of adds and deletes', () => {
    const op = fc.record({ add: fc.boolean(), key: fc.constantFrom('a', 'b', 'c'), id: fc.constantFrom('1', '2', '3', '4') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const postings = new Postings();
        const model = new Map<string, Set<string>>();
        for (const { add, key, id } of ops) {
          const set = model.get(key) ?? new Set<string>();
          model.set(key, set);
          if (add) {
            postings.add(key, id);
            set.add(id);
          } else {
            postings.delete(key, id);
            set.delete(id);
          }
        }
        for (const key of ['a', 'b', 'c']) {
          const expected = [...(model.get(key) ?? [])].sort();
          expect([...postings.ids(key)].sort()).toEqual(expected);
          expect(postings.ids(key, 2).length).toBe(expected.length <= 2 ? expected.length : 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
