/**
 * applyPatch: all operations of one PATCH request applied in order to a copy of the resource and
 * collapsed into one final resource plus one member delta (DESIGN §4: one transaction).
 */
import { UnreachableCaseError } from '../filter/unreachable.js';
import { cloneJson, deleteKey, getKey, isRecord, isUnassigned, semanticEqual, type JsonObject } from '../schema/json.js';
import { resourceSchema } from '../schema/registry.js';
import type { ResourceTypeName, ScimResource } from '../schema/types.js';
import { applyAdd } from './add.js';
import type { PatchDocument } from './document.js';
import { MemberTracker } from './members.js';
import { normalisePatchBody } from './normalise.js';
import { applyRemove } from './remove.js';
import { applyReplace } from './replace.js';
import type { MemberDelta, PatchOperation, PatchResult } from './types.js';

/**
 * Applies a PATCH body to `current` (SCIM JSON as a GET returns it; for groups, usually without
 * members). Pure: no I/O. Throws ScimPatchError (invalidSyntax, invalidPath, invalidValue,
 * noTarget, mutability) and nothing is applied then.
 */
export function applyPatch(resourceType: ResourceTypeName, current: ScimResource, body: unknown): PatchResult {
  const ignored: string[] = [];
  const operations = normalisePatchBody(resourceType, body, ignored);
  const resource: JsonObject = cloneJson(current);
  let currentMembers: unknown[] | undefined;
  if (resourceType === 'Group') {
    const members = getKey(resource, 'members');
    currentMembers = Array.isArray(members) ? members : undefined;
    deleteKey(resource, 'members');
  }
  const original = cloneJson(resource);
  const doc: PatchDocument = { resourceType, resource, currentMembers, members: new MemberTracker(), ignored };
  for (const operation of operations) applyOperation(doc, operation);
  syncSchemas(resourceType, resource);
  const memberDelta = doc.members.delta();
  const changed = !semanticEqual(withoutSchemas(original), withoutSchemas(resource)) || deltaChanges(memberDelta);
  return memberDelta ? { resource, memberDelta, changed, ignored } : { resource, changed, ignored };
}

function applyOperation(doc: PatchDocument, operation: PatchOperation): void {
  const { op } = operation;
  switch (op) {
    case 'add':
      return applyAdd(doc, operation);
    case 'replace':
      return applyReplace(doc, operation);
    case 'remove':
      return applyRemove(doc, operation);
    default:
      throw new UnreachableCaseError(op);
  }
}

/** `schemas` lists the core schema and each extension whose object is present (RFC 7643 §3). */
function syncSchemas(resourceType: ResourceTypeName, resource: JsonObject): void {
  const rs = resourceSchema(resourceType);
  const listed = getKey(resource, 'schemas');
  const existing = Array.isArray(listed) ? listed.filter((s): s is string => typeof s === 'string') : [];
  const extensionIds = new Set(rs.extensions.map((e) => e.schema.id.toLowerCase()));
  const others = existing.filter((s) => s.toLowerCase() !== rs.core.id.toLowerCase() && !extensionIds.has(s.toLowerCase()));
  const present = rs.extensions
    .map((e) => e.schema.id)
    .filter((id) => {
      const obj = getKey(resource, id);
      return isRecord(obj) && !isUnassigned(obj);
    });
  deleteKey(resource, 'schemas');
  const ordered: JsonObject = { schemas: [rs.core.id, ...present, ...others] };
  for (const [key, value] of Object.entries(resource)) {
    delete resource[key];
    ordered[key] = value;
  }
  Object.assign(resource, ordered);
}

function withoutSchemas(resource: JsonObject): JsonObject {
  const copy = { ...resource };
  deleteKey(copy, 'schemas');
  return copy;
}

function deltaChanges(delta: MemberDelta | undefined): boolean {
  return delta !== undefined && (delta.add.length > 0 || delta.remove.length > 0 || delta.replaceAll !== undefined);
}
