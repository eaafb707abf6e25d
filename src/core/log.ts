import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import { errorSerializer } from './log-error.js';

export type { Logger };

export interface LogOptions {
  level: string;
  /** Human-readable output; defaults to a TTY on stdout outside production. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
  /** Log to stderr, keeping stdout for a command's own output. */
  stderr?: boolean;
}

/** Fields that hold secrets wherever a config, options or request object is logged whole. */
const SECRET_PATHS = [
  'redisUrl',
  '*.redisUrl',
  '*.*.redisUrl',
  'adminToken',
  '*.adminToken',
  '*.*.adminToken',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
];

/** pino JSON on stdout; pino-pretty when it is installed and output is a terminal (development). */
export function createLogger(options: LogOptions): Logger {
  const out = options.stderr ? process.stderr : process.stdout;
  const pretty = options.pretty ?? (out.isTTY === true && process.env.NODE_ENV !== 'production');
  const stacks = (pino.levels.values[options.level] ?? Infinity) <= pino.levels.values.debug!;
  const base = {
    level: options.level,
    base: { service: 'portalfeed' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorSerializer({ stacks }) },
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
  };
  if (pretty && !options.destination) {
    try {
      const require = createRequire(import.meta.url);
      const prettyFactory = require('pino-pretty') as (opts: object) => NodeJS.WritableStream;
      return pino(
        base,
        prettyFactory({
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service',
          destination: options.stderr ? 2 : 1,
        }),
      );
    } catch {
      // pino-pretty is a dev dependency; production images log JSON.
    }
  }
  const destination = options.destination ?? (options.stderr ? pino.destination(2) : undefined);
  return destination ? pino(base, destination) : pino(base);
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
