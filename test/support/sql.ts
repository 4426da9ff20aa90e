import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database } from '../../src/persistence/database.js';
import { frag } from '../../src/persistence/sql/fragment.js';
import { runSql } from '../../src/persistence/sql/run.js';

/** Raw SQL for assertions on what was (or was not) written; `?` placeholders, values as parameters. */
export function querySql<T = Record<string, unknown>>(db: Database, text: string, bindings: unknown[] = []): Promise<T[]> {
  return runSql<T>(db.orm.em.fork() as SqlEntityManager, frag(text, bindings));
}
