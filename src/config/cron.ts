import { validate as schedulerAccepts } from 'node-cron';

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names allowed instead of numbers, lowercase, numbered from `min`. */
  names?: readonly string[];
  /** `?` ("any") is allowed in the day fields. */
  any?: boolean;
}

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  // 0 and 7 are both Sunday
  { name: 'day-of-week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], any: true },
];

const ITEM = /^(?:(\*|\?)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(.*))?$/i;

function valueOf(token: string, field: CronField): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  const index = field.names?.indexOf(token.toLowerCase()) ?? -1;
  return index >= 0 ? index + field.min : null;
}

function itemProblem(item: string, field: CronField): string | null {
  const match = ITEM.exec(item);
  if (!match) return `"${item}" is not a value, range, list or step`;
  const [, star, from, to, step] = match;
  if (star === '?' && !field.any) return `"?" is only allowed in the day fields`;
  const range = `${field.min}-${field.max}`;
  for (const token of [from, to]) {
    if (token === undefined) continue;
    const value = valueOf(token, field);
    if (value === null) return `"${token}" is not a number${field.names ? ' or a name' : ''}`;
    if (value < field.min || value > field.max) return `${token} is out of range ${range}`;
  }
  if (from !== undefined && to !== undefined && valueOf(from, field)! > valueOf(to, field)!) {
    return `range ${from}-${to} runs backwards`;
  }
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `step "${step}" is not a number`;
    const n = Number(step);
    if (n < 1 || n > field.max) return `step ${step} is out of range 1-${field.max}`;
    if (star === undefined && to === undefined) return `a step needs "*" or a range before it ("*/${step}")`;
  }
  return null;
}

/**
 * What is wrong with a cron expression, naming the field, or null when it is fine. Five fields
 * (minute hour day-of-month month day-of-week), or six with a leading seconds field. Values out of
 * a field's range are refused here: the scheduler would silently fold `*\/61` into "hourly".
 */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5 && parts.length !== 6) {
    return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading second, got ${parts.length}`;
  }
  const fields = parts.length === 6 ? [SECOND, ...FIELDS] : FIELDS;
  for (const [i, part] of parts.entries()) {
    const field = fields[i]!;
    for (const item of part.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return `${field.name} field "${part}": ${problem}`;
    }
  }
  if (!schedulerAccepts(expression)) return `the scheduler cannot run "${expression}"`;
  return null;
}
