/**
 * The working copy a PATCH is applied to, and the accessors every operation shares: where an
 * attribute lives (top level or its extension object), reading, writing, and mutability checks.
 */
import { ScimPatchError, ScimValidationError } from '../schema/errors.js';
import { deleteKey, getKey, isRecord, isUnassigned, semanticEqual, setKey, type JsonObject } from '../schema/json.js';
import type { ResolvedAttribute, ResourceTypeName } from '../schema/types.js';
import { coerceAttribute } from '../schema/values.js';
import type { MemberTracker } from './members.js';
import type { AttributeTarget, PatchOperation } from './types.js';

/** The state of one PATCH request while its operations are applied in order. */
export interface PatchDocument {
  readonly resourceType: ResourceTypeName;
  /** the working copy (for groups, without members) */
  readonly resource: JsonObject;
  /** the group's current members when the caller passed them (they usually do not) */
  readonly currentMembers: readonly unknown[] | undefined;
  readonly members: MemberTracker;
  /** where unknown attributes and sub-attributes of values are reported (they are skipped) */
  readonly ignored: string[];
}

/** The object holding an attribute: the resource, or its extension object (created when `create`). */
export function holder(doc: PatchDocument, resolved: ResolvedAttribute, create: boolean): JsonObject | undefined {
  if (!resolved.extension) return doc.resource;
  const existing = getKey(doc.resource, resolved.schemaId);
  if (isRecord(existing)) return existing;
  if (!create) return undefined;
  const obj: JsonObject = {};
  setKey(doc.resource, resolved.schemaId, obj);
  return obj;
}

/** The current value of the attribute (the whole attribute, ignoring `subAttribute`). */
export function readAttribute(doc: PatchDocument, resolved: ResolvedAttribute): unknown {
  const obj = holder(doc, resolved, false);
  return obj === undefined ? undefined : getKey(obj, resolved.attribute.name);
}

/**
 * Writes the whole attribute; an unassigned value (undefined, null, [], {}) deletes it, and an
 * extension object left empty is deleted too (RFC 7644 §3.5.2.2: no values left is unassigned).
 */
export function writeAttribute(doc: PatchDocument, resolved: ResolvedAttribute, value: unknown): void {
  if (isUnassigned(value)) {
    const obj = holder(doc, resolved, false);
    if (!obj) return;
    deleteKey(obj, resolved.attribute.name);
    if (resolved.extension && Object.keys(obj).length === 0) deleteKey(doc.resource, resolved.schemaId);
    return;
  }
  const obj = holder(doc, resolved, true);
  if (obj) setKey(obj, resolved.attribute.name, value);
}

/** Deletes a whole extension object. */
export function deleteExtension(doc: PatchDocument, schemaId: string): void {
  deleteKey(doc.resource, schemaId);
}

/**
 * Attributes that are never unassigned: absent, Roster reads a default in their place (`active`
 * absent is true), so removing one would not clear it but silently change it (re-enable an account).
 */
const ALWAYS_ASSIGNED: Readonly<Record<ResourceTypeName, readonly string[]>> = { User: ['active'], Group: [] };

/** What the mutability check decided: write, or skip a no-op on a readOnly attribute. */
export type WriteDecision = 'write' | 'skip';

/**
 * RFC 7644 §3.5.2 and RFC 7643 §2.2: readOnly attributes cannot be changed (a value equal to the
 * current one is skipped, so Okta's `{"id": <same id>, …}` passes), immutable ones may only be
 * set when they have no value, required ones cannot be removed.
 */
export function checkWritable(doc: PatchDocument, operation: PatchOperation, target: AttributeTarget): WriteDecision {
  const { attribute, subAttribute } = target.resolved;
  const whole = readAttribute(doc, target.resolved);
  const existing = subAttribute && !attribute.multiValued && isRecord(whole) ? getKey(whole, subAttribute.name) : whole;
  const removing = operation.op === 'remove' || operation.value === null;
  const at = `Operations[${operation.index}]`;
  if (attribute.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') {
    if (!removing && target.filter === undefined && sameValue(target, operation.value, existing)) return 'skip';
    throw new ScimPatchError('mutability', `${at}: "${target.written}" is read-only.`, operation.index);
  }
  if (attribute.mutability === 'immutable' || subAttribute?.mutability === 'immutable') {
    if (isUnassigned(existing)) return 'write';
    if (!removing && sameValue(target, operation.value, existing)) return 'write';
    throw new ScimPatchError('mutability', `${at}: "${target.written}" is immutable and already has a value.`, operation.index);
  }
  const required = subAttribute ? subAttribute.required && !attribute.multiValued : attribute.required;
  if (required && removing && target.filter === undefined) {
    throw new ScimPatchError('invalidValue', `${at}: "${target.written}" is required and cannot be removed.`, operation.index);
  }
  if (removing && !subAttribute && !target.resolved.extension && ALWAYS_ASSIGNED[doc.resourceType].includes(attribute.name)) {
    throw new ScimPatchError('invalidValue', `${at}: "${target.written}" cannot be removed (absent, it would mean true); replace it with true or false.`, operation.index);
  }
  return 'write';
}

function sameValue(target: AttributeTarget, value: unknown, existing: unknown): boolean {
  if (semanticEqual(value, existing)) return true;
  const def = target.resolved.subAttribute ?? target.resolved.attribute;
  if (def.type === 'complex') return false;
  try {
    return semanticEqual(coerceAttribute(def, value, target.written), existing);
  } catch {
    return false;
  }
}

/** Runs `fn`, prefixing schema errors with the operation index (`Operations[2]: …`). */
export function withOperation<T>(index: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ScimValidationError && !(error instanceof ScimPatchError)) {
      throw new ScimPatchError(error.scimType, `Operations[${index}]: ${error.detail}`, index);
    }
    throw error;
  }
}

/** True for Group `members`, which PATCH turns into a member delta. */
export function isGroupMembers(doc: PatchDocument, target: AttributeTarget): boolean {
  return doc.resourceType === 'Group' && !target.resolved.extension && target.resolved.attribute.name === 'members';
}

/** True for `schemas`, which the engine recomputes from the extension objects present. */
export function isSchemasAttribute(target: AttributeTarget): boolean {
  return target.resolved.common && target.resolved.attribute.name === 'schemas';
}

/** The attribute's current list (a copy), for multi-valued attributes. */
export function readList(doc: PatchDocument, target: AttributeTarget): unknown[] {
  const value = readAttribute(doc, target.resolved);
  return Array.isArray(value) ? [...(value as unknown[])] : [];
}
