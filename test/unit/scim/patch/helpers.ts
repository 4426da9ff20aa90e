/** Builders for PATCH tests: request bodies and current resources as a GET returns them. */
import { SCHEMA_URNS } from '../../../../src/scim/schema/registry.js';
import type { ScimResource } from '../../../../src/scim/schema/types.js';
import { ScimValidationError } from '../../../../src/scim/schema/errors.js';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER = SCHEMA_URNS.user;
export const GROUP = SCHEMA_URNS.group;
export const ENT = SCHEMA_URNS.enterpriseUser;
export const QP = SCHEMA_URNS.queryPieUser;

/** A PatchOp body with these operations. */
export function patch(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** A user as GET /Users/{id} returns it, with overrides. */
export function buildUser(overrides: ScimResource = {}): ScimResource {
  return {
    schemas: [USER],
    id: 'u1',
    externalId: 'ext-1',
    userName: 'alex@example.com',
    name: { givenName: 'Alex', familyName: 'Wilber' },
    displayName: 'Alex Wilber',
    active: true,
    emails: [{ value: 'alex@example.com', type: 'work', primary: true }],
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"', location: 'https://roster/scim/v2/Users/u1' },
    ...overrides,
  };
}

/** A group as GET /Groups/{id}?excludedAttributes=members returns it. */
export function buildGroup(overrides: ScimResource = {}): ScimResource {
  return {
    schemas: [GROUP],
    id: 'g1',
    displayName: 'Support',
    meta: { resourceType: 'Group', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 'W/"1"', location: 'https://roster/scim/v2/Groups/g1' },
    ...overrides,
  };
}

/** The ScimValidationError `fn` throws (fails the test when it throws nothing). */
export function errorOf(fn: () => unknown): ScimValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimValidationError) return e;
    throw e;
  }
  throw new Error('expected a ScimValidationError');
}
