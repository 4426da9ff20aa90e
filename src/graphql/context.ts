import DataLoader from 'dataloader';
import { OperationTypeNode, type GraphQLResolveInfo } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { GroupRecord } from '../domain/groups/group-record.js';
import type { UserRecord } from '../domain/users/user-record.js';
import type { Store } from '../persistence/store.js';
import { storeWithDeadline } from './deadline.js';

/** Per-request DataLoaders: one query per relation per request, whatever the shape of the query. */
export interface Loaders {
  user: DataLoader<string, UserRecord | null>;
  /** users without their groups: for member and manager names */
  userLean: DataLoader<string, UserRecord | null>;
  group: DataLoader<string, GroupRecord | null>;
  groupsOfMember: DataLoader<string, GroupRecord[]>;
  memberCount: DataLoader<string, number>;
  /** when each IdP's last recorded SCIM request arrived: one query for every Provisioning of a response */
  lastScimRequestAt: DataLoader<string, Date | null>;
}

/** What every resolver receives. */
export interface GraphContext {
  principal: Principal | null;
  /** the request's way to the directory's data */
  store: Store;
  /**
   * The way for list and search reads that may be a few milliseconds stale: a read replica's over
   * HTTP when replicas are configured, else `store`. Use it through `listReads`.
   */
  listStore: Store;
  loaders: Loaders;
  requestId: string;
  /** the public SCIM base URL, shown to admins who activate provisioning */
  scimBaseUrl: string;
  /** why the presented credential was refused, reported by the role check */
  authError?: Error;
  /** when (epoch ms) this request must be finished; set over HTTP, absent in-process (SCIM) */
  deadline?: number;
}

/** Rows in the order of their keys (ids compared in lower case, as the database returns them); null where none. */
function byId<T extends { id: string }>(rows: T[], keys: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => map.get(k.toLowerCase()) ?? null);
}

/**
 * The loaders of one request, each made on its first use: most requests (a lookup, a write) use
 * none of them, and making all six for every request showed in its CPU and garbage.
 */
class RequestLoaders implements Loaders {
  private made: Partial<Loaders> = {};
  constructor(private readonly store: Store) {}
  get user() {
    return (this.made.user ??= new DataLoader(async (ids) => byId(await this.store.users.byIds(ids), ids)));
  }
  get userLean() {
    return (this.made.userLean ??= new DataLoader(async (ids) => byId(await this.store.users.byIds(ids, false), ids)));
  }
  get group() {
    return (this.made.group ??= new DataLoader(async (ids) => byId(await this.store.groups.byIds(ids), ids)));
  }
  get groupsOfMember() {
    return (this.made.groupsOfMember ??= new DataLoader(async (ids) => {
      const m = await this.store.groups.groupsOfMembers(ids);
      return ids.map((id) => m.get(id) ?? []);
    }));
  }
  get memberCount() {
    return (this.made.memberCount ??= new DataLoader(async (ids) => {
      const m = await this.store.groups.memberCounts(ids);
      return ids.map((id) => m.get(id) ?? 0);
    }));
  }
  get lastScimRequestAt() {
    return (this.made.lastScimRequestAt ??= new DataLoader(async (idps) => {
      const m = await this.store.scimRequests.lastAt(idps);
      return idps.map((idp) => m.get(idp) ?? null);
    }));
  }
}

/** Builds a request's context. */
export function createContext(store: Store, principal: Principal | null, requestId: string, scimBaseUrl: string, listStore: Store = store): GraphContext {
  return { principal, store, listStore, requestId, scimBaseUrl, loaders: new RequestLoaders(store) };
}

/**
 * The same context with a deadline: its store (and so every loader) refuses to start a read after
 * `timeoutMs` from now, failing the field with QueryTimeout.
 */
export function withDeadline(ctx: GraphContext, timeoutMs: number): GraphContext {
  const deadline = Date.now() + timeoutMs;
  const store = storeWithDeadline(ctx.store, deadline, timeoutMs);
  const listStore = ctx.listStore === ctx.store ? store : storeWithDeadline(ctx.listStore, deadline, timeoutMs);
  const timed = createContext(store, ctx.principal, ctx.requestId, ctx.scimBaseUrl, listStore);
  return { ...ctx, store: timed.store, listStore, loaders: timed.loaders, deadline };
}

/**
 * The store a list or search reads from: the replica-backed one in a query, the primary in a
 * mutation (whose answer must show its own write). SCIM's in-process operations have no replica at
 * all: an IdP that writes and reads back at once must never see the old value.
 */
export function listReads(ctx: GraphContext, info: GraphQLResolveInfo): Store {
  return info.operation.operation === OperationTypeNode.QUERY ? ctx.listStore : ctx.store;
}
