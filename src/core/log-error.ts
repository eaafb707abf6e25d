import { describeError, redactUrl } from './errors.js';

/** What an `err` field of a log line holds: the problem once, with its cause chain folded into one message. */
export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  url?: string;
  status?: number;
  details?: Record<string, unknown>;
  /** Only when the logger runs at debug or trace. */
  stack?: string;
}

/** The stack of an error and of each cause below it, for debug logs. */
function stackWithCauses(err: Error): string {
  const stacks: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    stacks.push(redactUrl(current.stack ?? `${current.name}: ${current.message}`));
    current = current.cause;
  }
  return stacks.join('\ncaused by: ');
}

function messageOf(err: Error): string {
  const message = describeError(err);
  const inner = (err as { errors?: unknown }).errors;
  // Node's connection errors are AggregateErrors with an empty message (one error per address tried)
  if (!err.message && Array.isArray(inner) && inner.length) return [...new Set(inner.map((e) => describeError(e)))].join('; ');
  return message;
}

/**
 * pino serializer for `err`: type, code, one message naming the problem and its causes, the URL and
 * status of fetch errors. Stacks are for developers: only when the logger runs at debug or trace.
 */
export function errorSerializer(options: { stacks: boolean }): (value: unknown) => unknown {
  return (value) => {
    if (!(value instanceof Error)) return value;
    const err = value as Error & { code?: unknown; url?: unknown; status?: unknown; details?: unknown };
    const out: LoggedError = { type: err.name, message: messageOf(err) };
    if (typeof err.code === 'string') out.code = err.code;
    if (typeof err.url === 'string') out.url = err.url;
    if (typeof err.status === 'number') out.status = err.status;
    if (err.details && typeof err.details === 'object' && Object.keys(err.details).length) out.details = err.details as Record<string, unknown>;
    if (options.stacks) out.stack = stackWithCauses(err);
    return out;
  };
}
