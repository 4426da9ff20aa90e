import type { Principal } from '../../auth/principal.js';
import type { Store, Tx } from '../../persistence/store.js';
import { recordAudit } from '../audit/audit-writer.js';
import { ManagedByIdp, NotManagedByIdp } from '../errors/domain-errors.js';

/**
 * Who may change a user or group (DESIGN §5 "Ownership"). Every resource has a `source`: `local`
 * or the label of the IdP that created it.
 *
 * - A SCIM token (a principal with an IdP) writes only what its IdP manages. `force` does not
 *   apply to it. Reads and lists stay open to every PROVISIONER.
 * - A local resource becomes the IdP's only when adoption is on for that IdP: its next update
 *   adopts it (audited as `<resource>.adopt`). A DELETE never adopts.
 * - An API key changes IdP-managed data only with `force` (MANAGED_BY_IDP otherwise); the event
 *   of such a change is recorded as `<action>.forced`.
 */
export type Verdict = 'own' | 'adopt' | 'forced';

export interface Owned {
  resource: 'user' | 'group';
  id: string;
  source: string;
}

/** Decides whether `actor` may `operation` the resource; throws when it may not. */
export async function checkOwnership(tx: Tx, actor: Principal, target: Owned, operation: 'update' | 'delete', force: boolean | undefined): Promise<Verdict> {
  if (!actor.idp) {
    if (target.source === 'local') return 'own';
    if (!force) throw new ManagedByIdp(target.resource, target.source);
    return 'forced';
  }
  if (target.source === actor.idp) return 'own';
  if (target.source === 'local' && operation === 'update' && (await tx.credentials.adoptsLocal(actor.idp))) return 'adopt';
  throw new NotManagedByIdp(target.resource, target.id, actor.idp, operation);
}

/** The audit action of a change, marked when `force` overrode the IdP. */
export const actionOf = (action: string, verdict: Verdict): string => (verdict === 'forced' ? `${action}.forced` : action);

/**
 * Runs a write; when it is refused because the IdP does not manage the resource, records the
 * refusal (`user.write.refused` / `group.write.refused`, `changed` naming the attempted operation)
 * in a transaction of its own, since the write's transaction rolled back, and rethrows.
 */
export async function auditRefusal<T>(store: Store, actor: Principal, requestId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof NotManagedByIdp) {
      await store.transaction((tx) =>
        recordAudit(tx, actor, { action: `${err.resource}.write.refused`, resourceType: err.resource === 'user' ? 'User' : 'Group', resourceId: err.resourceId, changed: [err.operation] }, requestId),
      );
    }
    throw err;
  }
}
