import type { SqlEntityManager } from '@mikro-orm/sql';
import { isUuid } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import type { UserRecord } from '../../domain/users/user-record.js';
import { listRows } from '../list-query.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';
import { userColumns, userFromRow, userGroupsColumn } from './user-rows.js';

/** Reads of users: plain rows, no entity hydration. */
export class UserReads {
  constructor(private readonly em: SqlEntityManager) {}

  /** Users by id; absent ids are skipped. `withGroups` reads their groups in the same statement. */
  async byIds(ids: readonly string[], withGroups = true): Promise<UserRecord[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const cols = userColumns(this.em).select('r') + (withGroups ? `, ${userGroupsColumn(this.em)}` : '');
    const rows = await runSql(this.em, frag(`select ${cols} from users r where r.id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [valid]), { prepare: true });
    return rows.map((r) => userFromRow(this.em, r));
  }

  /** One user, or null. */
  async byId(id: string): Promise<UserRecord | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** A filtered, ordered page. */
  list(p: ListParams): Promise<Page<UserRecord>> {
    return listRows(this.em, 'User', `${userColumns(this.em).select('r')}, ${userGroupsColumn(this.em)}`, (r) => userFromRow(this.em, r), p);
  }

  /** Whether the user has a password set (the hash itself never leaves this layer). */
  async hasPassword(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await runSql(this.em, frag('select 1 from users where id = ? and password_hash is not null', [id]), { prepare: true });
    return rows.length > 0;
  }
}
