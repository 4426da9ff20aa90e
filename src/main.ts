import 'reflect-metadata';
import http from 'node:http';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './http/logger';
import { openDatabase } from './persistence/database';
import { DataDirLockedError } from './persistence/embedded';

/** config → database → app → listen; SIGTERM drains requests, then closes the database. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let db;
  try {
    db = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }, { migrate: !config.databaseUrl });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      logger.fatal(err.message);
      process.exit(3);
    }
    throw err;
  }
  if (config.databaseUrl) {
    const pending = await db.orm.getMigrator().getPendingMigrations();
    if (pending.length) {
      logger.fatal({ pending: pending.map((m) => m.name) }, 'The Postgres database needs migrations: run `npm run migrate` first.');
      await db.close();
      process.exit(4);
    }
  }
  const { firstOwnerKey } = await bootstrap(config, db, logger);
  const roster = await createApp({ config, db, logger });
  const server = http.createServer(roster.app.callback());
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const where = db.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'Postgres';
  logger.info({ port: config.port, database: where }, `Roster is listening on ${config.publicUrl}`);
  logger.info(`GraphiQL: open ${config.publicUrl}/graphql in a browser and put an API key in the Headers tab`);
  logger.info(
    `SCIM base URL: ${config.publicUrl}/scim/v2 — get a token in GraphiQL with mutation { activateProvisioning(idp: "okta") { scimBaseUrl token } }` +
      (db.kind === 'embedded' ? '' : ' or with: npm run roster -- activate-provisioning okta'),
  );
  if (firstOwnerKey) {
    // Printed once, on the first start of an empty directory: it is not stored anywhere in clear.
    process.stdout.write(`\n  First start: here is an OWNER API key. Store it now; it will not be shown again.\n\n    ${firstOwnerKey}\n\n`);
  }

  let stopping = false;
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
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Roster failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
