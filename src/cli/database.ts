import type { Config } from '../config/config.js';
import { openDatabase, type Database } from '../persistence/database.js';
import { createDatabaseOf, DatabaseUnavailableError, describeUrl } from '../persistence/connection-errors.js';
import { DataDirLockedError } from '../persistence/embedded.js';
import { CliError, EXIT, type OpenMode } from './command.js';

/**
 * Opens the database the server uses, as src/main.ts does: Postgres from DATABASE_URL, else the
 * embedded one in DATA_DIR (which applies its migrations on open). On Postgres, `use` refuses a
 * database with pending migrations, so a command never half-works on an old schema.
 */
export async function openCliDatabase(config: Config, mode: OpenMode, graphql?: string, say: (line: string) => void = () => undefined): Promise<Database> {
  const target = config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir };
  const log = { info: (o: object | string, m?: string) => say(typeof o === 'string' ? o : (m ?? '')), warn: (o: object | string, m?: string) => say(typeof o === 'string' ? o : (m ?? '')) };
  let db: Database;
  try {
    db = await openDatabase(target, { migrate: false, log });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(EXIT.LOCKED, lockedMessage(err, config, mode, graphql));
    if (err instanceof DatabaseUnavailableError && err.reason === 'missing-database' && mode === 'migrate' && config.databaseUrl) {
      // `migrate` is the set-up command: it makes the database it was pointed at, and says so.
      const name = await createDatabaseOf(config.databaseUrl);
      say(`created the database "${name}" on ${describeUrl(config.databaseUrl).split('/')[0]}`);
      return openCliDatabase(config, mode, graphql, say);
    }
    if (err instanceof DatabaseUnavailableError) throw new CliError(EXIT.FAILED, err.message);
    throw err;
  }
  if (db.kind === 'postgres' && mode === 'use') {
    const pending = await db.pendingMigrations();
    if (pending.length) {
      await db.close();
      throw new CliError(EXIT.NEEDS_MIGRATION, `The Postgres database needs ${pending.length} migration(s): run \`npm run migrate\` first.`);
    }
  }
  return db;
}

/** The lock error plus what to do about it from here: stop the server, or do the same in GraphiQL. */
function lockedMessage(err: DataDirLockedError, config: Config, mode: OpenMode, graphql?: string): string {
  // Only the first sentence of the lock error: its generic advice is replaced by advice for the CLI.
  const first = `${err.message.split('. ')[0]}.`;
  const stop = 'A running Roster server holds the embedded database: stop the server and run this command again';
  const lines = [first];
  if (graphql) {
    lines.push(`${stop},`, `or leave it running and do the same in GraphiQL (${config.publicUrl}/graphql, with an OWNER or ADMIN key in the Headers tab):`, '', `  ${graphql}`);
  } else if (mode === 'migrate') {
    lines.push(`${stop},`, 'or leave it running: the server applies pending migrations of the embedded database itself when it starts.');
  } else {
    lines.push(`${stop}.`);
  }
  return lines.join('\n');
}
