import { ConfigError, loadConfig } from '../../src/config/config.js';

/** The message of the ConfigError that `env` produces. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      replicaUrls: [],
      replicaMaxLagMs: 2000,
      redisUrl: undefined,
      rateLimitStore: 'memory',
      readBatchMax: 64,
      dataDir: './data',
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      bodyLimit: 16 * 1024 * 1024,
      rateLimitPerMinute: 6000,
      authFailuresPerMinute: 30,
      bootstrapAdminToken: undefined,
      bootstrapScimToken: undefined,
      bootstrapIdp: 'okta',
      shutdownTimeoutMs: 10000,
      trustProxy: false,
      headersTimeoutMs: 15000,
      requestTimeoutMs: 120000,
      maxConnections: 1024,
      metricsToken: undefined,
      graphqlTimeoutMs: 10000,
      statementTimeoutMs: 30000,
      sessionIdleMs: 3_600_000,
      sessionMaxMs: 43_200_000,
      samlClockSkewMs: 120_000,
      graphqlMaxQueryBytes: 65536,
      graphqlCompileAfter: 2,
      graphqlAnonymousIntrospection: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const token = 'x'.repeat(32);
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u:p@db:5432/roster',
      DATA_DIR: '/var/lib/roster',
      PUBLIC_URL: 'https://roster.example.com/',
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '512kb',
      RATE_LIMIT_PER_MINUTE: '0',
      ROSTER_BOOTSTRAP_ADMIN_TOKEN: token,
      ROSTER_BOOTSTRAP_SCIM_TOKEN: token,
      ROSTER_BOOTSTRAP_IDP: 'entra',
      SHUTDOWN_TIMEOUT_MS: '500',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u:p@db:5432/roster',
      dataDir: '/var/lib/roster',
      publicUrl: 'https://roster.example.com',
      logLevel: 'debug',
      bodyLimit: 512 * 1024,
      rateLimitPerMinute: 0,
      bootstrapAdminToken: token,
      bootstrapScimToken: token,
      bootstrapIdp: 'entra',
      shutdownTimeoutMs: 500,
    });
  });

  it('shares rate limits wherever several processes can run: Redis when given, else the Postgres primary', () => {
    expect(loadConfig({}).rateLimitStore).toBe('memory');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster' }).rateLimitStore).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster', REDIS_URL: 'redis://cache:6379' }).rateLimitStore).toBe('redis');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster', RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toBe('memory');
  });

  it('reads replicas as a comma-separated list', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://db/roster', DATABASE_REPLICA_URLS: ' postgres://r1:5433/roster , postgresql://u:p@r2/roster,', DATABASE_REPLICA_MAX_LAG_MS: '500' });
    expect(c.replicaUrls).toEqual(['postgres://r1:5433/roster', 'postgresql://u:p@r2/roster']);
    expect(c.replicaMaxLagMs).toBe(500);
  });

  it('builds the default public URL from the port', () => {
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', PUBLIC_URL: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined, publicUrl: 'http://localhost:3000', logLevel: 'info' });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: must be a port number/],
    [{ PORT: '70000' }, /PORT: must be a port number/],
    [{ PORT: '80.5' }, /PORT: must be a port number/],
    [{ DATABASE_URL: 'mysql://root@localhost/roster' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: .*"info"/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY: must be true or false/],
    [{ PUBLIC_URL: 'roster.example.com' }, /PUBLIC_URL: must be an absolute URL/],
    [{ BODY_LIMIT: 'lots' }, /BODY_LIMIT: expected a size/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE: must be a whole number/],
    [{ ROSTER_BOOTSTRAP_ADMIN_TOKEN: 'short' }, /ROSTER_BOOTSTRAP_ADMIN_TOKEN: must be at least 32 characters/],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, /SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds/],
    [{ DATABASE_URL: 'postgres://db/roster', DATABASE_REPLICA_URLS: 'postgres://r1/roster,mysql://r2/roster' }, /DATABASE_REPLICA_URLS: each replica must be a postgres:\/\/ URL/],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/roster' }, /DATABASE_REPLICA_URLS: replicas need DATABASE_URL/],
    [{ RATE_LIMIT_STORE: 'disk' }, /RATE_LIMIT_STORE: must be memory, postgres or redis/],
    [{ RATE_LIMIT_STORE: 'redis' }, /RATE_LIMIT_STORE: redis needs REDIS_URL/],
    [{ RATE_LIMIT_STORE: 'postgres' }, /RATE_LIMIT_STORE: postgres needs DATABASE_URL/],
    [{ REDIS_URL: 'http://cache:6379' }, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(problem(env)).toMatch(message);
  });

  it('reads READ_BATCH_MAX as a count of reads, 0 turning sharing off', () => {
    expect(loadConfig({ READ_BATCH_MAX: '0' }).readBatchMax).toBe(0);
    expect(loadConfig({ READ_BATCH_MAX: '16' }).readBatchMax).toBe(16);
    expect(problem({ READ_BATCH_MAX: '-1' })).toContain('READ_BATCH_MAX:');
    expect(problem({ READ_BATCH_MAX: '1001' })).toContain('READ_BATCH_MAX:');
    expect(problem({ READ_BATCH_MAX: 'some' })).toContain('READ_BATCH_MAX:');
  });

  it('reads GRAPHQL_COMPILE_AFTER as a count of uses, 0 turning compilation off', () => {
    expect(loadConfig({ GRAPHQL_COMPILE_AFTER: '0' }).graphqlCompileAfter).toBe(0);
    expect(loadConfig({ GRAPHQL_COMPILE_AFTER: '5' }).graphqlCompileAfter).toBe(5);
    expect(problem({ GRAPHQL_COMPILE_AFTER: '-1' })).toContain('GRAPHQL_COMPILE_AFTER:');
    expect(problem({ GRAPHQL_COMPILE_AFTER: 'often' })).toContain('GRAPHQL_COMPILE_AFTER:');
  });

  it('names every bad variable at once, without echoing secrets', () => {
    const message = problem({ PORT: 'abc', DATABASE_URL: 'mysql://root:hunter2@localhost/roster', LOG_LEVEL: 'loud', ROSTER_BOOTSTRAP_SCIM_TOKEN: 'tiny-secret' });
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'ROSTER_BOOTSTRAP_SCIM_TOKEN']) expect(message).toContain(`${name}:`);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('tiny-secret');
  });
});
