/**
 * The edge of the PATCH engine: checks the PatchOp message (RFC 7644 §3.5.2), lower-cases op
 * names, resolves paths, and expands no-path values into one operation per attribute.
 */
import { ScimPatchError } from '../schema/errors.js';
import { getKey, isRecord } from '../schema/json.js';
import { resolveName } from '../schema/registry.js';
import type { ResourceTypeName } from '../schema/types.js';
import { resolvePatchPath, resolveValueKey } from './target.js';
import type { AttributeTarget, ExtensionTarget, PatchOpName, PatchOperation } from './types.js';

/** The PatchOp message URN (RFC 7644 §3.5.2). */
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const OPS: readonly PatchOpName[] = ['add', 'remove', 'replace'];

/**
 * Turns a PATCH body into normalised operations. Throws ScimPatchError: invalidSyntax for a
 * malformed message, invalidValue for a missing value, invalidPath for a bad path, noTarget for a
 * remove without path (RFC 7644 §3.5.2.2). Unknown attributes inside a value (a no-path value's
 * keys, an extension object's keys) are skipped and pushed to `ignored`; an unknown `path` is not.
 */
export function normalisePatchBody(resourceType: ResourceTypeName, body: unknown, ignored: string[] = []): PatchOperation[] {
  if (!isRecord(body)) throw new ScimPatchError('invalidSyntax', 'The PATCH body must be a JSON object.');
  const schemas = getKey(body, 'schemas');
  const hasPatchOp = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_URN.toLowerCase());
  if (!hasPatchOp) throw new ScimPatchError('invalidSyntax', `"schemas" must contain "${PATCH_OP_URN}".`);
  // RFC 7644 spells it "Operations"; some clients send "operations".
  const operations = getKey(body, 'Operations');
  if (!Array.isArray(operations)) throw new ScimPatchError('invalidSyntax', '"Operations" must be a list of operations.');
  if (operations.length === 0) throw new ScimPatchError('invalidValue', '"Operations" must hold at least one operation.');
  return operations.flatMap((raw, index) => normaliseOne(resourceType, raw, index, ignored));
}

function normaliseOne(resourceType: ResourceTypeName, raw: unknown, index: number, ignored: string[]): PatchOperation[] {
  if (!isRecord(raw)) throw new ScimPatchError('invalidSyntax', `Operations[${index}] must be an object.`, index);
  const opRaw = getKey(raw, 'op');
  // Entra ID capitalises op names ("Add", "Replace", "Remove"); RFC 7644 §3.5.2 lower-cases them.
  const op = typeof opRaw === 'string' ? OPS.find((o) => o === opRaw.trim().toLowerCase()) : undefined;
  if (op === undefined) {
    throw new ScimPatchError('invalidSyntax', `Operations[${index}]: "op" must be add, remove or replace; got ${JSON.stringify(opRaw)}.`, index);
  }
  const pathRaw = getKey(raw, 'path');
  if (pathRaw !== undefined && pathRaw !== null && typeof pathRaw !== 'string') {
    throw new ScimPatchError('invalidSyntax', `Operations[${index}]: "path" must be a string.`, index);
  }
  const valueKey = Object.keys(raw).find((k) => k.toLowerCase() === 'value');
  const value = valueKey === undefined ? undefined : raw[valueKey];
  if (op !== 'remove' && valueKey === undefined) {
    throw new ScimPatchError('invalidValue', `Operations[${index}]: "${op}" requires a "value".`, index);
  }
  const path = typeof pathRaw === 'string' && pathRaw.trim() !== '' ? pathRaw : undefined;
  if (path === undefined) {
    // RFC 7644 §3.5.2.2: "If 'path' is unspecified, the operation fails" with noTarget.
    if (op === 'remove') throw new ScimPatchError('noTarget', `Operations[${index}]: "remove" requires a "path".`, index);
    if (!isRecord(value)) {
      throw new ScimPatchError('invalidValue', `Operations[${index}]: without a "path", "value" must be an object of attributes.`, index);
    }
    const out: PatchOperation[] = [];
    for (const [key, v] of Object.entries(value)) {
      const target = resolveValueKey(resourceType, key, index);
      if (target === 'unknown') ignored.push(key);
      else if (target) out.push(...expand(resourceType, { index, op, target, value: v }, ignored));
    }
    return out;
  }
  return expand(resourceType, { index, op, target: resolvePatchPath(resourceType, path, index), value }, ignored);
}

/**
 * An add/replace whose target is a whole extension and whose value is an object becomes one
 * operation per attribute (RFC 7644 §3.5.2.1: a complex value's sub-attributes are merged).
 */
function expand(resourceType: ResourceTypeName, operation: PatchOperation, ignored: string[]): PatchOperation[] {
  const { target, value, op, index } = operation;
  if (target.kind !== 'extension' || op === 'remove' || value === null) return [operation];
  if (!isRecord(value)) {
    throw new ScimPatchError('invalidValue', `Operations[${index}]: "${target.written}" must be given an object.`, index);
  }
  const out: PatchOperation[] = [];
  for (const [key, v] of Object.entries(value)) {
    const attribute = extensionAttribute(resourceType, target, key);
    // Entra sends `schemas` inside an extension object, for one: ignored like any unknown name.
    if (attribute) out.push({ index, op, target: attribute, value: v });
    else ignored.push(`${target.schemaId}:${key}`);
  }
  return out;
}

function extensionAttribute(resourceType: ResourceTypeName, target: ExtensionTarget, key: string): AttributeTarget | undefined {
  const name = resolveName(resourceType, `${target.schemaId}:${key}`);
  return name?.kind === 'attribute' ? { kind: 'attribute', resolved: name.resolved, written: `${target.schemaId}:${key}` } : undefined;
}
