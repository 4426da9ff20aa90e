import { MikroORM } from '@mikro-orm/core';
import { embeddedOptions, openEmbedded } from './embedded';
import type { ListenSource } from './notifications';
import { postgresOptions } from './orm-options';

/** Where the data lives: a Postgres URL, an embedded folder, or memory (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string | null };

/** An initialised ORM and how to close everything it holds. */
export interface Database {
  orm: MikroORM;
  kind: 'postgres' | 'embedded';
  /** where NOTIFY channels can be listened to */
  listenSource: ListenSource;
  close(): Promise<void>;
}

/** Opens the database; `migrate` applies pending migrations first (always done on the embedded one). */
export async function openDatabase(target: DatabaseTarget, opts: { migrate: boolean }): Promise<Database> {
  if ('url' in target) {
    const orm = await MikroORM.init(postgresOptions(target.url));
    if (opts.migrate) await orm.getMigrator().up();
    return { orm, kind: 'postgres', listenSource: { url: target.url }, close: () => orm.close(true) };
  }
  const embedded = await openEmbedded(target.dataDir);
  try {
    const orm = await MikroORM.init(await embeddedOptions(embedded.pglite));
    await orm.getMigrator().up();
    return {
      orm,
      kind: 'embedded',
      listenSource: { pglite: embedded.pglite },
      close: async () => {
        await orm.close(true);
        await embedded.release();
      },
    };
  } catch (err) {
    await embedded.release();
    throw err;
  }
}
