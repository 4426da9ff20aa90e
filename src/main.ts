import 'reflect-metadata';
import { existsSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './http/logger.js';
import { DatabaseUnavailableError } from './persistence/connection-errors.js';
import { openDatabase, type Database } from './persistence/database.js';
import { anchorSettings } from './persistence/list-anchors.js';
import { abandonDataDirLock, DataDirLockedError, pgdataOf } from './persistence/embedded.js';

/** Exit codes, shared with the CLI (src/cli/command.ts). */
const EXIT = { FAILED: 1, CONFIG: 2, LOCKED: 3, NEEDS_MIGRATION: 4, PORT_IN_USE: 5, INTERRUPTED: 130 } as const;

/** A start that cannot go on, explained in one line. */
class StartError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Answers while the database is being prepared: the port is taken first, the app comes after. */
const starting: http.RequestListener = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"status":"starting"}');
};

/** Takes the port before anything is created, so a busy port never costs a database or a key. */
function listen(server: http.Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `${config.host ?? '0.0.0.0'}:${config.port}`;
      if (err.code === 'EADDRINUSE') reject(new StartError(EXIT.PORT_IN_USE, `Port ${config.port} is in use (${where}). Stop what holds it, or set PORT to another port.`));
      else if (err.code === 'EACCES') reject(new StartError(EXIT.PORT_IN_USE, `No permission to listen on ${where}. Use a port above 1023 (PORT).`));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Port → database → keys → app; SIGTERM drains requests, then closes the database. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EXIT.CONFIG);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let handler: http.RequestListener = starting;
  const server = http.createServer((req, res) => handler(req, res));
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.maxConnections = config.maxConnections;
  let db: Database | undefined;
  let freshDataDir: string | undefined;

  // Ctrl-C while starting: stop now. A half-created new data folder is removed (it would not open
  // next time); an existing one survives an exit at any point, as it survives a crash.
  let started = false;
  let interrupted = false;
  const interruptStart = (signal: string) => {
    if (started) return;
    interrupted = true;
    logger.warn({ signal }, 'interrupted while starting; stopping');
    if (!freshDataDir || db) process.exit(EXIT.INTERRUPTED);
    const halfMade = freshDataDir;
    const removeHalfMade = () => {
      rmSync(halfMade, { recursive: true, force: true });
      // A lock taken a moment ago may not be registered for release at exit yet; this start made the
      // folder, so nothing else can hold it, and the next start must not wait for it to go stale.
      abandonDataDirLock(config.dataDir);
    };
    removeHalfMade();
    // What the abandoned start still had running fails now that its folder is gone: expected, and
    // not a reason to exit with anything but the interruption's code.
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    // A lock or folder being made on libuv's thread pool right now lands after the removal above
    // (seen under load: the next start found the folder in use): remove once more, then exit.
    setTimeout(() => {
      removeHalfMade();
      process.exit(EXIT.INTERRUPTED);
    }, 100);
  };
  process.once('SIGINT', interruptStart);
  process.once('SIGTERM', interruptStart);

  try {
    await listen(server, config);
    if (config.databaseUrl) {
      db = await openDatabase({ url: config.databaseUrl }, { migrate: false, statementTimeoutMs: config.statementTimeoutMs, replicas: { urls: config.replicaUrls, maxLagMs: config.replicaMaxLagMs } });
      const pending = await db.pendingMigrations();
      if (pending.length) throw new StartError(EXIT.NEEDS_MIGRATION, `The Postgres database needs ${pending.length} migration(s): run \`npm run migrate\` first.`);
    } else {
      const pgdata = pgdataOf(config.dataDir);
      if (!existsSync(pgdata)) {
        freshDataDir = pgdata;
        logger.info(`First start: creating the embedded database in ${config.dataDir} (this takes about ten seconds)…`);
      } else {
        logger.info(`Opening the embedded database in ${config.dataDir}…`);
      }
      const t0 = Date.now();
      db = await openDatabase({ dataDir: config.dataDir }, { migrate: true, log: logger });
      logger.info(`Embedded database ready (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
    }
  } catch (err) {
    // Interrupted: the start failed because its folder was removed under it; the interruption exits.
    if (interrupted) await new Promise(() => undefined);
    await db?.close().catch(() => undefined);
    server.close();
    if (err instanceof StartError) return fatal(logger, err.exitCode, err.message);
    if (err instanceof DataDirLockedError) return fatal(logger, EXIT.LOCKED, err.message);
    if (err instanceof DatabaseUnavailableError) return fatal(logger, EXIT.FAILED, err.message);
    throw err;
  }

  if (interrupted) await new Promise(() => undefined);
  const { firstOwnerKey } = await bootstrap(config, db, logger);
  if (firstOwnerKey) {
    // Printed at once, on the first start of an empty directory: it is not stored anywhere in clear.
    process.stdout.write(`\n  First start: here is an OWNER API key. Store it now; it will not be shown again.\n\n    ${firstOwnerKey}\n\n`);
  }
  const roster = await createApp({ config, db, logger });
  anchorSettings.onError = (err) => logger.warn({ err }, 'list anchors could not be read; long lists walk their index until the next try');
  // Under way before the first request, and /readyz waits for it: a load balancer sends a restarted
  // process no page deep into a long list before it can start that page near where it lies.
  roster.warmUp(db.readStore().prewarmListAnchors());
  const callback = roster.app.callback();
  // Koa's callback settles its own errors (ctx.onerror); node's listener only needs it started.
  handler = (req, res) => void callback(req, res);
  started = true;
  process.off('SIGINT', interruptStart);
  process.off('SIGTERM', interruptStart);

  const where = db.kind === 'embedded' ? `embedded database in ${config.dataDir}` : config.replicaUrls.length ? `Postgres with ${config.replicaUrls.length} read replica(s)` : 'Postgres';
  if (db.kind === 'postgres' && config.rateLimitStore === 'memory') {
    logger.warn('RATE_LIMIT_STORE is memory: each Roster process counts its own requests, so N processes allow N times the limit');
  }
  logger.info({ port: config.port, database: where }, `Roster is listening on ${config.publicUrl}`);
  logger.info(`GraphiQL: open ${config.publicUrl}/graphql in a browser and put an API key in the Headers tab`);
  logger.info(
    `SCIM base URL: ${config.publicUrl}/scim/v2 — get a token in GraphiQL with mutation { activateProvisioning(idp: "okta") { scimBaseUrl token } }` +
      (db.kind === 'embedded' ? '' : ' or with: npm run roster -- activate-provisioning okta'),
  );

  let stopping = false;
  const openDb = db;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining requests');
    roster.drain();
    const timer = setTimeout(() => {
      logger.warn('drain timeout reached; closing open connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(timer);
    await roster.close();
    await openDb.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** A start that cannot go on: one plain line for the person at the terminal, like a bad config. */
function fatal(logger: ReturnType<typeof createLogger>, code: number, message: string): never {
  logger.flush?.();
  process.stderr.write(`Roster cannot start: ${message}\n`);
  process.exit(code);
}

main().catch((err) => {
  process.stderr.write(`Roster failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(EXIT.FAILED);
});
