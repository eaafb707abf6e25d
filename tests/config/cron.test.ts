import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../src/config/cron.js';
import { parseConfig } from '../../src/config/load.js';

describe('cron expressions', () => {
  it.each([
    '*/15 * * * *',
    '0 7 * * 1-5',
    '0,30 8-17 * * mon-fri',
    '0 0 1 jan,jul *',
    '0 0 ? * 7',
    '0-59/5 * * * *',
    '*/59 */23 */31 */12 */7',
    '*/30 * * * * *',
    '0 */5 * * * *',
  ])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeNull();
  });

  it.each([
    ['*/61 * * * *', /^minute field "\*\/61": step 61 is out of range 1-59$/],
    ['*/60 * * * *', /^minute field "\*\/60": step 60 is out of range 1-59/],
    ['*/0 * * * *', /^minute field "\*\/0": step 0 is out of range/],
    ['60 * * * *', /^minute field "60": 60 is out of range 0-59/],
    ['0 24 * * *', /^hour field "24": 24 is out of range 0-23/],
    ['0 0 0 * *', /^day-of-month field "0": 0 is out of range 1-31/],
    ['0 0 1 13 *', /^month field "13": 13 is out of range 1-12/],
    ['0 0 * * 8', /^day-of-week field "8": 8 is out of range 0-7/],
    ['0 0 * * 1-9', /^day-of-week field "1-9": 9 is out of range 0-7/],
    ['0 17-8 * * *', /^hour field "17-8": range 17-8 runs backwards/],
    ['5/10 * * * *', /^minute field "5\/10": a step needs "\*" or a range/],
    ['0 0 * foo *', /^month field "foo": "foo" is not a number or a name/],
    ['? * * * *', /^minute field "\?": "\?" is only allowed in the day fields/],
    ['1,,2 * * * *', /^minute field "1,,2": "" is not a value/],
    ['*/61 * * * * *', /^second field "\*\/61": step 61 is out of range 1-59/],
    ['0 */61 * * * *', /^minute field "\*\/61"/],
    ['* * *', /expected 5 fields .* or 6 with a leading second, got 3/],
    ['every minute', /got 2/],
    ['0 0 31 2 *', /the scheduler cannot run/],
  ])('rejects %s naming the field', (expression, message) => {
    expect(cronProblem(expression)).toMatch(message);
  });

  it('a minute step is accepted exactly when it is 1-59', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (step) => {
        const problem = cronProblem(`*/${step} * * * *`);
        if (step >= 1 && step <= 59) expect(problem).toBeNull();
        else expect(problem).toMatch(/^minute field/);
      }),
    );
  });

  it('the config names the source and the field', () => {
    const source = { id: 'a', name: 'A', baseUrl: 'https://a.example', sections: [{ id: 's', name: 'S', url: '/' }], schedule: '*/61 * * * *' };
    expect(() => parseConfig({ sources: [source] }, { file: '/x.yaml', env: {} })).toThrow(
      /sources\.0\.schedule: must be a valid cron expression.*minute field "\*\/61": step 61 is out of range 1-59/,
    );
  });
});
