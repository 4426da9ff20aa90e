import type { SqlEntityManager } from '@mikro-orm/sql';
import { isUuid } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import type { UserRecord } from '../../domain/users/user-record.js';
import { listRows } from '../list-query.js';
import { canBatch, keyedRead, lookupPage, readBatched } from '../read-batches.js';
import { keyLookup } from '../filter/key-lookup.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';
import { userColumns, userFromRow, userGroupsColumn } from './user-rows.js';

/** One user read's columns, for many keys in one statement (read-batches.ts). */
const userWithGroups = (em: SqlEntityManager) => `${userColumns(em).select('r')}, ${userGroupsColumn(em)}`;
const BY_ID = keyedRead('users.byId', 'users', userWithGroups, 'r.id = k.v::uuid');
const BY_ID_LEAN = keyedRead('users.byId.lean', 'users', (em) => userColumns(em).select('r'), 'r.id = k.v::uuid');
// citext: the same comparison as the filter `userName eq` compiles to, on the unique index
const BY_USER_NAME = keyedRead('users.byUserName', 'users', userWithGroups, 'r.user_name = k.v::citext');

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
      return lookupPage((await readBatched(this.em, BY_USER_NAME, userName)).map((r) => userFromRow(this.em, r)));
    }
    return listRows(this.em, 'User', userWithGroups(this.em), (r) => userFromRow(this.em, r), p);
  }

  /** Whether the user has a password set (the hash itself never leaves this layer). */
  async hasPassword(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await runSql(this.em, frag('select 1 from users where id = ? and password_hash is not null', [id]), { prepare: true });
    return rows.length > 0;
  }
}
