/**
 * Structured logging with pino. JSON lines by default; human-readable when the CLI sees a terminal.
 * Secrets are redacted by key wherever they appear in a logged object, so a careless `log.info({ body })` cannot
 * leak a token, a password or a webhook secret. Messages themselves must never interpolate secrets.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'token',
  'visitorToken',
  'password',
  'passwordHash',
  'secretToken',
  'secret',
  'credential',
  'authorization',
  'cookie',
  'set-cookie',
  // Webhook request headers, should a delivery ever log its headers.
  'x-rocketchat-livechat-token',
  'x-visitor-token',
  'webhook-signature',
];

// Keys with a "-" need bracket notation in pino's paths.
const at = (prefix: string, k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${prefix}${prefix ? '.' : ''}${k}` : `${prefix}["${k}"]`);

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [at('', k), at('*', k), at('*.*', k), at('req.headers', k), at('*.headers', k)]);

export interface LoggerOptions {
  level?: string;
  /** Pretty, colourised output for a person at a terminal. */
  pretty?: boolean;
  /** Where JSON lines go (tests capture them); stdout when absent. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    base: { name: 'livechatd' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } } });
  }
  return pino(base);
}

/** A logger that writes nothing, for embedding a daemon where logs are not wanted. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
