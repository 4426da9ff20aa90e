import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows } from '../../persistence/read-rows';
import { isUuid } from '../ids';
import { listRows, ListParams, Page } from '../list-query';
import { USER_COLUMNS, USER_GROUPS_COLUMN, userFromRow, UserRecord } from './user-record';

/** Read-only access to users: plain rows, no entity hydration. */
export class UserQueries {
  constructor(private readonly em: EntityManager) {}

  /** Users by id; absent ids are skipped. `withGroups` reads their groups in the same statement. */
  async byIds(ids: readonly string[], withGroups = true): Promise<UserRecord[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const rows = await readRows<Record<string, unknown>>(this.em, 
      this.em.getKnex().raw(`select ${USER_COLUMNS}${withGroups ? `, ${USER_GROUPS_COLUMN}` : ''} from users r where r.id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [JSON.stringify(valid)]),
    );
    return rows.map(userFromRow);
  }

  /** One user, or null. */
  async byId(id: string): Promise<UserRecord | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** A filtered, ordered page. */
  list(p: ListParams): Promise<Page<UserRecord>> {
    return listRows(this.em, 'User', `${USER_COLUMNS}, ${USER_GROUPS_COLUMN}`, userFromRow, p);
  }
}
