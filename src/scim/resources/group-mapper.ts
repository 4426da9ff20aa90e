import type { GraphGroup } from './graph-types.js';
import { etagOf, iso } from './user-mapper.js';

/** The core Group schema URN. */
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A GraphQL group as a SCIM Group resource (before projection). Members only when they were read. */
export function toScimGroup(g: GraphGroup, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = { schemas: [GROUP_URN], id: g.id };
  if (g.externalId !== null) out.externalId = g.externalId;
  out.displayName = g.displayName;
  if (g.members) {
    out.members = g.members.nodes.map((m) => ({
      value: m.id,
      $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.id}`,
      ...(m.display !== null ? { display: m.display } : {}),
      type: m.type,
    }));
  }
  out.meta = { resourceType: 'Group', created: iso(g.created), lastModified: iso(g.lastModified), version: etagOf(g.version), location: `${baseUrl}/Groups/${g.id}` };
  return out;
}

/** A member as the GraphQL MemberInput. */
export function toMemberInput(m: { value: string; type?: string }): { id: string; type?: string } {
  return m.type ? { id: m.value, type: m.type } : { id: m.value };
}

/** Members of a validated SCIM Group body (value required; display and $ref are informative only). */
export function membersOf(r: Record<string, unknown>): { id: string; type?: string }[] | undefined {
  if (!Array.isArray(r.members)) return undefined;
  return r.members.map((m) => {
    const o = (m ?? {}) as Record<string, unknown>;
    return toMemberInput({ value: String(o.value ?? ''), type: typeof o.type === 'string' ? o.type : undefined });
  });
}
