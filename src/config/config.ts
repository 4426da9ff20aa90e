import { z } from 'zod';

/** Log levels pino understands. */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bytes = z
  .string()
  .regex(/^\d+(kb|mb)?$/i, 'expected a size such as 1mb, 512kb or 1048576')
  .transform((s) => {
    const m = /^(\d+)(kb|mb)?$/i.exec(s)!;
    const n = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    return unit === 'mb' ? n * 1024 * 1024 : unit === 'kb' ? n * 1024 : n;
  });

const optionalSecret = z
  .string()
  .min(32, 'must be at least 32 characters (a random secret)')
  .optional()
  .or(z.literal('').transform(() => undefined));

/** A whole number in a range, with a message that says what was expected. */
const int = (min: number, max: number, what: string) => {
  const error = `must be ${what}`;
  return z.coerce.number({ error }).int(error).min(min, error).max(max, error);
};

const schema = z.object({
  PORT: int(0, 65535, 'a port number from 0 to 65535').default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded database)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .url({ message: 'must be an absolute URL such as https://roster.example.com' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  // Okta's custom app PUTs a group's whole member list: ~80 bytes a member, so 16 MB covers ~200k members.
  BODY_LIMIT: bytes.default(16 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: int(0, Number.MAX_SAFE_INTEGER, 'a whole number of requests (0 turns the limit off)').default(6000),
  ROSTER_BOOTSTRAP_ADMIN_TOKEN: optionalSecret,
  ROSTER_BOOTSTRAP_SCIM_TOKEN: optionalSecret,
  ROSTER_BOOTSTRAP_IDP: z.string().min(1).max(64).default('okta'),
  SHUTDOWN_TIMEOUT_MS: int(0, Number.MAX_SAFE_INTEGER, 'a whole number of milliseconds').default(10000),
  TRUST_PROXY: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
});

/** Roster's validated, frozen configuration. */
export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  logLevel: (typeof logLevels)[number];
  bodyLimit: number;
  rateLimitPerMinute: number;
  bootstrapAdminToken?: string;
  bootstrapScimToken?: string;
  bootstrapIdp: string;
  shutdownTimeoutMs: number;
  /** read the client address from X-Forwarded-For (only behind a proxy that sets it) */
  trustProxy: boolean;
}>;

/** A configuration value that failed validation; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment into a Config; the only code that reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable counts as unset (compose files pass `PORT=` through); else PORT= would mean port 0.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    bootstrapAdminToken: e.ROSTER_BOOTSTRAP_ADMIN_TOKEN,
    bootstrapScimToken: e.ROSTER_BOOTSTRAP_SCIM_TOKEN,
    bootstrapIdp: e.ROSTER_BOOTSTRAP_IDP,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY === 'true',
  });
}
