import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printRosterSchema } from '../graphql/schema.js';
import type { Command } from './command.js';
import { makeMigration } from '../persistence/migration-authoring.js';
import { writeMigrationIndex } from './migration-index.js';

/** `migrate`: applies pending migrations to Postgres (the embedded database migrates whenever it opens). */
export const migrate: Command = {
  name: 'migrate',
  synopsis: '',
  summary: 'Apply pending migrations to the Postgres database in DATABASE_URL, or to the embedded one.',
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const config = ctx.config();
    const { applied, total } = await ctx.withDatabase(async (db) => {
      const applied = await db.migrate();
      return { applied, total: await db.appliedMigrationCount() };
    }, 'migrate');
    const where = config.databaseUrl ? 'The Postgres database' : `The embedded database in ${config.dataDir}`;
    for (const name of applied) ctx.out(`applied ${name}`);
    ctx.out(`${where} is up to date (${total} migration${total === 1 ? '' : 's'}${applied.length ? `, ${applied.length} just applied` : ''}).`);
  },
};

/** `emit-schema`: writes the SDL the schema-drift test compares against. */
export const emitSchema: Command = {
  name: 'emit-schema',
  synopsis: '',
  summary: 'Write the GraphQL schema to schema/schema.graphql.',
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const file = path.join(ctx.repoRoot, 'schema', 'schema.graphql');
    const sdl = printRosterSchema();
    const before = await readFile(file, 'utf8').catch(() => undefined);
    if (before === sdl) {
      ctx.out('schema/schema.graphql is up to date.');
      return;
    }
    await writeFile(file, sdl);
    ctx.out(`Wrote schema/schema.graphql (${sdl.split('\n').length - 1} lines).`);
  },
};

/** `make-migration [name]`: diffs the entities against the migrated schema, in memory; no server needed. */
export const makeMigrationCommand: Command = {
  name: 'make-migration',
  synopsis: '[name]',
  summary: 'Write a migration for the difference between the entities and the migrations (in memory, no server).',
  positionals: { min: 0, max: 1 },
  async run(ctx) {
    const name = ctx.positionals[0];
    const dir = path.join(ctx.repoRoot, 'migrations');
    const file = await makeMigration(ctx.repoRoot, name);
    if (!file) {
      ctx.out('The entities match the migrations: no migration needed.');
      return;
    }
    await writeMigrationIndex(dir);
    ctx.out(`Wrote migrations/${file} and added it to migrations/index.ts. Review it, then run \`npm run build\` and \`npm run migrate\`.`);
  },
};

/** `recount`: rebuilds the user and group counts behind list totals. */
export const recount: Command = {
  name: 'recount',
  synopsis: '',
  summary: 'Recount users and groups for list totals (needed only after loading rows with triggers disabled).',
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const counts = await ctx.withDatabase((db) => db.store().recountRows());
    for (const c of counts) {
      const was = c.logged === c.counted ? 'as the log had it' : `the log had ${c.logged}: corrected`;
      ctx.out(`${c.table}: ${c.counted} (${was})`);
    }
  },
};
