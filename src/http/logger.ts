import pino, { Logger } from 'pino';

/** The process logger. Secrets never reach it: redaction is a second line of defence. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'roster' },
    redact: { paths: ['authorization', 'headers.authorization', 'token', 'secret', 'password', '*.token', '*.secret', '*.password'], censor: '[redacted]' },
  });
}
