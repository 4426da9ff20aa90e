import pino, { DestinationStream, Logger } from 'pino';

/**
 * Fields that may hold a secret, at the top and up to three levels down (pino's paths have no
 * recursive wildcard). GraphQL variables are redacted whole: any of them may be a password.
 */
const SECRET_KEYS = ['authorization', 'cookie', 'password', 'secret', 'token', 'apiKey', 'bearer', 'variables'];
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`])];

/**
 * What may still carry a secret inside free text (error messages, stacks, log messages): Roster's
 * own secrets (API keys rk_…, SCIM tokens rs_…), a bearer header, and the value graphql-js repeats
 * when a variable does not coerce ("got invalid value …", "cannot represent …: …").
 */
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\b(r[ks]_)[A-Za-z0-9_-]{8,}/g, '$1[redacted]'],
  [/(bearer\s+)\S+/gi, '$1[redacted]'],
  [/(got invalid value) [^\n]*/g, '$1 [redacted]'],
  [/(cannot represent[^:\n]*:) [^\n]*/g, '$1 [redacted]'],
];

/** Text with everything that looks like a secret cut out. */
export function scrubText(text: string): string {
  return SECRET_TEXT.reduce((t, [re, by]) => t.replace(re, by), text);
}

/** pino's error serializer, then the same scrub over every string it kept (message, stack, causes, driver fields). */
function scrubError(err: Error): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v);
    if (v === null || typeof v !== 'object' || seen.has(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) return v.map(scrub);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
  };
  return scrub(pino.stdSerializers.err(err)) as Record<string, unknown>;
}

/**
 * The process logger. Secrets never reach it: code logs no secrets, and redaction is the second
 * line of defence, by field (`redact`) and inside error messages and log messages (`scrubText`).
 * `destination` (default stdout) lets tests read what was written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'roster' },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: scrubError, error: scrubError },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a: unknown) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
