/**
 * The remove operation (RFC 7644 §3.5.2.2): clear an attribute, a sub-attribute, the elements a
 * filter matches (noTarget when it matches none) or a sub-attribute of those elements.
 */
import { ScimPatchError } from '../schema/errors.js';
import { isRecord, semanticEqual, type JsonObject } from '../schema/json.js';
import { findAttribute } from '../schema/registry.js';
import type { AttributeDefinition } from '../schema/types.js';
import { coerceAttribute } from '../schema/values.js';
import { checkWritable, deleteExtension, isGroupMembers, isSchemasAttribute, readAttribute, readList, withOperation, writeAttribute, type PatchDocument } from './document.js';
import { applyMemberOperation } from './members.js';
import { compact, matchingIndices, mergeComplex } from './multi.js';
import type { AttributeTarget, PatchOperation } from './types.js';

/** Applies one `remove`; removing what is not there is a no-op, except through a filter. */
export function applyRemove(doc: PatchDocument, operation: PatchOperation): void {
  const target = operation.target;
  if (target.kind === 'extension') {
    deleteExtension(doc, target.schemaId);
    return;
  }
  if (isSchemasAttribute(target)) return;
  if (isGroupMembers(doc, target)) {
    applyMemberOperation(doc, operation, target);
    return;
  }
  checkWritable(doc, operation, target);
  const { attribute, subAttribute } = target.resolved;
  withOperation(operation.index, () => {
    if (!attribute.multiValued) {
      const next = subAttribute ? mergeComplex(attribute, readAttribute(doc, target.resolved), undefined, [subAttribute.name]) : undefined;
      writeAttribute(doc, target.resolved, next);
    } else if (target.filter === undefined && subAttribute === undefined) {
      removeWhole(doc, operation, target);
    } else {
      removeElements(doc, operation, target);
    }
  });
}

/**
 * Without a value, the whole attribute goes. With a value list, only the elements matching it go:
 * the meaning Entra gives to `{"op":"Remove","path":"members","value":[…]}`, applied to any list.
 */
function removeWhole(doc: PatchDocument, operation: PatchOperation, target: AttributeTarget): void {
  const { attribute } = target.resolved;
  if (operation.value === undefined || operation.value === null) {
    writeAttribute(doc, target.resolved, undefined);
    return;
  }
  const given = coerceAttribute(attribute, operation.value, target.written, doc.ignored);
  const items = Array.isArray(given) ? given : [];
  const list = readList(doc, target);
  writeAttribute(
    doc,
    target.resolved,
    list.filter((e) => !items.some((item) => contains(attribute, e, item))),
  );
}

function removeElements(doc: PatchDocument, operation: PatchOperation, target: AttributeTarget): void {
  const { attribute, subAttribute } = target.resolved;
  const list = readList(doc, target);
  const indices = matchingIndices(list, attribute, target.filter);
  if (indices.length === 0) {
    if (target.filter === undefined) return;
    throw new ScimPatchError('noTarget', `Operations[${operation.index}]: "${target.written}" matches no value.`, operation.index);
  }
  const next = subAttribute ? list.map((e, i) => (indices.includes(i) && isRecord(e) ? withoutKey(e, subAttribute.name) : e)) : list.filter((_, i) => !indices.includes(i));
  // RFC 7644 §3.5.2.2: when no values remain, the attribute is unassigned.
  writeAttribute(doc, target.resolved, compact(next));
}

function withoutKey(element: JsonObject, key: string): JsonObject {
  const copy = { ...element };
  delete copy[key];
  return copy;
}

/** True when `element` has every sub-attribute of `item` (strings compared per caseExact). */
function contains(attribute: AttributeDefinition, element: unknown, item: unknown): boolean {
  if (!isRecord(element) || !isRecord(item)) return semanticEqual(element, item);
  return Object.entries(item).every(([key, v]) => {
    const actual = element[key];
    const caseExact = findAttribute(attribute.subAttributes, key)?.caseExact ?? false;
    if (!caseExact && typeof v === 'string' && typeof actual === 'string') return v.toLowerCase() === actual.toLowerCase();
    return semanticEqual(actual, v);
  });
}
