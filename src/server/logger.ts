// pino logs: JSON by default, readable with --log-format pretty. Credentials never reach a log line.
import pino, { type Logger } from 'pino';
import type { Config } from '../config/schema.js';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'password',
  'apiKey',
  '*.password',
  '*.authorization',
];

/** `destination`: where JSON lines go instead of stdout (a test reads a whole run's log from it). */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination?: pino.DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(config.logFormat === 'pretty' && !destination
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
