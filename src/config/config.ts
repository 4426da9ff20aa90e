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
  // Read replicas (Postgres only): reads that may be a few milliseconds stale go there, the rest to DATABASE_URL.
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, 'each replica must be a postgres:// URL, comma-separated'))),
  // A replica further behind the primary than this serves no reads until it catches up.
  DATABASE_REPLICA_MAX_LAG_MS: int(0, 3_600_000, 'a whole number of milliseconds').default(2000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Where rate-limit counters live: shared by every process (postgres, redis) or per process (memory).
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres', 'redis'], { message: 'must be memory, postgres or redis' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .url({ message: 'must be an absolute URL such as https://roster.example.com' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  // Okta's custom app PUTs a group's whole member list: ~80 bytes a member, so 16 MB covers ~200k members.
  BODY_LIMIT: bytes.default(16 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: int(0, Number.MAX_SAFE_INTEGER, 'a whole number of requests (0 turns the limit off)').default(6000),
  AUTH_FAILURES_PER_MINUTE: int(0, Number.MAX_SAFE_INTEGER, 'a whole number of failures (0 turns the limit off)').default(30),
  ROSTER_BOOTSTRAP_ADMIN_TOKEN: optionalSecret,
  ROSTER_BOOTSTRAP_SCIM_TOKEN: optionalSecret,
  ROSTER_BOOTSTRAP_IDP: z.string().min(1).max(64).default('okta'),
  SHUTDOWN_TIMEOUT_MS: int(0, Number.MAX_SAFE_INTEGER, 'a whole number of milliseconds').default(10000),
  TRUST_PROXY: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  // Slow-client limits: a connection that trickles its headers or body cannot hold a socket for ever.
  HEADERS_TIMEOUT_MS: int(1000, 600_000, 'a whole number of milliseconds from 1000 to 600000').default(15_000),
  REQUEST_TIMEOUT_MS: int(1000, 3_600_000, 'a whole number of milliseconds from 1000 to 3600000').default(120_000),
  MAX_CONNECTIONS: int(1, 1_000_000, 'a whole number of connections').default(1024),
  METRICS_TOKEN: optionalSecret,
  // GraphQL limits: every request ends by its deadline, and a document is parsed only when small.
  GRAPHQL_TIMEOUT_MS: int(1, 600_000, 'a whole number of milliseconds from 1 to 600000').default(10_000),
  // The database's own backstop (Postgres statement_timeout): no statement of the service runs longer.
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000, 'a whole number of milliseconds (0 turns the limit off)').default(30_000),
  // Single sign-on: browser sessions and the tolerance for the IdP's clock.
  SESSION_IDLE_MINUTES: int(1, 525_600, 'a whole number of minutes').default(60),
  SESSION_MAX_HOURS: int(1, 8760, 'a whole number of hours').default(12),
  SAML_CLOCK_SKEW_SECONDS: int(0, 3600, 'a whole number of seconds from 0 to 3600').default(120),
  GRAPHQL_MAX_QUERY_BYTES: bytes.default(64 * 1024),
  GRAPHQL_COMPILE_AFTER: int(0, 1_000_000, 'a whole number of uses from 0 (never compile) to 1000000').default(2),
  // Reads of one row by a unique key that arrive together share a statement, up to this many (0: never).
  READ_BATCH_MAX: int(0, 1000, 'a whole number of reads from 0 (never share a statement) to 1000').default(64),
  GRAPHQL_ANONYMOUS_INTROSPECTION: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
});

/** Roster's validated, frozen configuration. */
export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl?: string;
  /** read replicas of databaseUrl, for reads that may be a few milliseconds stale */
  replicaUrls: readonly string[];
  /** a replica lagging more than this serves no reads */
  replicaMaxLagMs: number;
  redisUrl?: string;
  /** where rate-limit counters live: memory is per process; postgres and redis are shared by every process */
  rateLimitStore: 'memory' | 'postgres' | 'redis';
  dataDir: string;
  publicUrl: string;
  logLevel: (typeof logLevels)[number];
  bodyLimit: number;
  rateLimitPerMinute: number;
  /** failed or missing credentials per client address per minute before 429 */
  authFailuresPerMinute: number;
  bootstrapAdminToken?: string;
  bootstrapScimToken?: string;
  bootstrapIdp: string;
  shutdownTimeoutMs: number;
  /** read the client address from X-Forwarded-For (only behind a proxy that sets it) */
  trustProxy: boolean;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  /** when set, GET /metrics needs it as a bearer token */
  metricsToken?: string;
  /** how long one GraphQL request may run before it is answered QUERY_TIMEOUT */
  graphqlTimeoutMs: number;
  /** Postgres statement_timeout of the service's connections (0: none) */
  statementTimeoutMs: number;
  /** a session unused this long ends */
  sessionIdleMs: number;
  /** a session ends this long after sign-in, whatever its use */
  sessionMaxMs: number;
  samlClockSkewMs: number;
  /** largest GraphQL document (the `query` text), in bytes */
  graphqlMaxQueryBytes: number;
  /** uses of one GraphQL document after which it runs compiled (graphql-jit); 0: never */
  graphqlCompileAfter: number;
  /** most reads by a unique key that share one statement (read-batches.ts); 0: each read is its own */
  readBatchMax: number;
  /** whether introspection is answered without a credential */
  graphqlAnonymousIntrospection: boolean;
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
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.DATABASE_REPLICA_URLS.length && !e.DATABASE_URL) problems.push('DATABASE_REPLICA_URLS: replicas need DATABASE_URL (the primary); the embedded database has none');
  // Shared limits by default wherever several processes can exist: Redis when given, else the Postgres primary.
  const rateLimitStore = e.RATE_LIMIT_STORE ?? (e.REDIS_URL ? 'redis' : e.DATABASE_URL ? 'postgres' : 'memory');
  if (rateLimitStore === 'redis' && !e.REDIS_URL) problems.push('RATE_LIMIT_STORE: redis needs REDIS_URL');
  if (rateLimitStore === 'postgres' && !e.DATABASE_URL) problems.push('RATE_LIMIT_STORE: postgres needs DATABASE_URL (the embedded database serves one process: use memory)');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    replicaUrls: Object.freeze(e.DATABASE_REPLICA_URLS),
    replicaMaxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS,
    redisUrl: e.REDIS_URL,
    rateLimitStore,
    dataDir: e.DATA_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    bootstrapAdminToken: e.ROSTER_BOOTSTRAP_ADMIN_TOKEN,
    bootstrapScimToken: e.ROSTER_BOOTSTRAP_SCIM_TOKEN,
    bootstrapIdp: e.ROSTER_BOOTSTRAP_IDP,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY === 'true',
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    maxConnections: e.MAX_CONNECTIONS,
    metricsToken: e.METRICS_TOKEN,
    graphqlTimeoutMs: e.GRAPHQL_TIMEOUT_MS,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.SESSION_MAX_HOURS * 3_600_000,
    samlClockSkewMs: e.SAML_CLOCK_SKEW_SECONDS * 1000,
    graphqlMaxQueryBytes: e.GRAPHQL_MAX_QUERY_BYTES,
    graphqlCompileAfter: e.GRAPHQL_COMPILE_AFTER,
    readBatchMax: e.READ_BATCH_MAX,
    graphqlAnonymousIntrospection: e.GRAPHQL_ANONYMOUS_INTROSPECTION === 'true',
  });
}
