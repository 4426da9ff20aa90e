import type { SqlEntityManager } from '@mikro-orm/sql';
import { isUuid } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import type { UserRecord } from '../../domain/users/user-record.js';
import { listRows } from '../list-query.js';
import { canBatch, readBatched, type BatchedRead } from '../read-batches.js';
import { keyLookup } from '../filter/key-lookup.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';
import { userColumns, userFromRow, userGroupsColumn } from './user-rows.js';

/** The same columns as one user read, for many keys in one statement (read-batches.ts). */
const batchOf = (kind: string, withGroups: boolean, match: string): BatchedRead => ({
  kind,
  run: (em, keys) =>
    runSql(
      em,
      frag(
        `select ${userColumns(em).select('r')}${withGroups ? `, ${userGroupsColumn(em)}` : ''}, k.i as _batch_i ` +
          `from jsonb_array_elements_text(?::jsonb) with ordinality as k(v, i) join users r on ${match}`,
        [keys],
      ),
      { prepare: true },
    ),
});

const BY_ID = batchOf('users.byId', true, 'r.id = k.v::uuid');
const BY_ID_LEAN = batchOf('users.byId.lean', false, 'r.id = k.v::uuid');
// citext: the same comparison as the filter `userName eq` compiles to, on the unique index
const BY_USER_NAME = batchOf('users.byUserName', true, 'r.user_name = k.v::citext');

/** Reads of users: plain rows, no entity hydration. */
export class UserReads {
  constructor(private readonly em: SqlEntityManager) {}

  /** Users by id; absent ids are skipped. `withGroups` reads their groups in the same statement. */
  async byIds(ids: readonly string[], withGroups = true): Promise<UserRecord[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    if (valid.length === 1 && canBatch(this.em, valid[0])) {
      return (await readBatched(this.em, withGroups ? BY_ID : BY_ID_LEAN, valid[0])).map((r) => userFromRow(this.em, r));
    }
    const cols = userColumns(this.em).select('r') + (withGroups ? `, ${userGroupsColumn(this.em)}` : '');
    const rows = await runSql(this.em, frag(`select ${cols} from users r where r.id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [valid]), { prepare: true });
    return rows.map((r) => userFromRow(this.em, r));
  }

  /** One user, or null. */
  async byId(id: string): Promise<UserRecord | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** A filtered, ordered page. */
  async list(p: ListParams): Promise<Page<UserRecord>> {
    const userName = keyLookup('User', 'user_name', p);
    if (userName !== undefined && canBatch(this.em, userName)) {
      const items = (await readBatched(this.em, BY_USER_NAME, userName)).map((r) => userFromRow(this.em, r));
      return { items, offset: 0, totalCount: () => Promise.resolve(items.length) };
    }
    return listRows(this.em, 'User', `${userColumns(this.em).select('r')}, ${userGroupsColumn(this.em)}`, (r) => userFromRow(this.em, r), p);
  }

  /** Whether the user has a password set (the hash itself never leaves this layer). */
  async hasPassword(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await runSql(this.em, frag('select 1 from users where id = ? and password_hash is not null', [id]), { prepare: true });
    return rows.length > 0;
  }
}
