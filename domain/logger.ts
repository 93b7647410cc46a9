// Structured JSON logging; secrets are redacted by path wherever they might appear.
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'password',
  'newPassword',
  'currentPassword',
  'confirmPassword',
  'adminPassword',
  'token',
  'mfaToken',
  'sessionToken',
  'webhookSecret',
  'code',
  'secret',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.confirmPassword',
  '*.adminPassword',
  '*.passwordHash',
  '*.token',
  '*.secret',
  '*.sessionToken',
  '*.webhookSecret',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** A pino logger writing JSON lines to stdout, or to `destination` (tests capture the log this way). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
