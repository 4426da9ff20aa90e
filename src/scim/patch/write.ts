/**
 * What add and replace share (RFC 7644 §3.5.2.1, §3.5.2.3): writing a value at a target. They
 * differ only for a whole multi-valued attribute (append vs replace the list) and for filtered
 * elements without sub-attribute (merge into vs replace the element).
 */
import { ScimPatchError } from '../schema/errors.js';
import { isRecord, semanticEqual } from '../schema/json.js';
import { assertSinglePrimary, coerceAttribute, coerceComplex, coerceSimple } from '../schema/values.js';
import { checkWritable, deleteExtension, isGroupMembers, isSchemasAttribute, readAttribute, readList, withOperation, writeAttribute, type PatchDocument } from './document.js';
import { applyMemberOperation } from './members.js';
import { clearOtherPrimaries, compact, matchingIndices, mergeComplex, nullSubAttributes, primaryIndices, typeEqualityValue } from './multi.js';
import type { AttributeTarget, PatchOperation } from './types.js';

/** `add` appends to lists and merges into filtered elements; `replace` replaces both. */
export type WriteMode = 'add' | 'replace';

/** Applies an add or replace operation to the document. JSON null as value means remove. */
export function writeOperation(doc: PatchDocument, operation: PatchOperation, mode: WriteMode): void {
  const target = operation.target;
  if (target.kind === 'extension') {
    // Only a null value reaches here (objects are expanded per attribute): clear the extension.
    deleteExtension(doc, target.schemaId);
    return;
  }
  if (isSchemasAttribute(target)) return;
  if (isGroupMembers(doc, target)) {
    applyMemberOperation(doc, operation, target);
    return;
  }
  if (checkWritable(doc, operation, target) === 'skip') return;
  const { attribute, subAttribute } = target.resolved;
  withOperation(operation.index, () => {
    if (attribute.multiValued) writeMulti(doc, operation, target, mode);
    else if (subAttribute) writeSub(doc, target, operation.value);
    else if (attribute.type === 'complex') writeComplex(doc, target, operation.value);
    else writeAttribute(doc, target.resolved, coerceSimple(attribute, operation.value, target.written, doc.ignored));
  });
}

/** `name.familyName`: set (or, for null, clear) one sub-attribute of a single complex attribute. */
function writeSub(doc: PatchDocument, target: AttributeTarget, value: unknown): void {
  const { attribute, subAttribute } = target.resolved;
  if (!subAttribute) return;
  const coerced = coerceSimple(subAttribute, value, target.written);
  const given = coerced === undefined ? undefined : { [subAttribute.name]: coerced };
  const cleared = coerced === undefined ? [subAttribute.name] : [];
  writeAttribute(doc, target.resolved, mergeComplex(attribute, readAttribute(doc, target.resolved), given, cleared));
}

/** A single complex attribute: sub-attributes given are merged, null ones cleared (RFC 7644 §3.5.2.3). */
function writeComplex(doc: PatchDocument, target: AttributeTarget, value: unknown): void {
  const { attribute } = target.resolved;
  if (value === null) {
    writeAttribute(doc, target.resolved, undefined);
    return;
  }
  const given = coerceComplex(attribute, value, target.written, doc.ignored);
  const merged = mergeComplex(attribute, readAttribute(doc, target.resolved), given, nullSubAttributes(attribute, value));
  writeAttribute(doc, target.resolved, merged);
}

function writeMulti(doc: PatchDocument, operation: PatchOperation, target: AttributeTarget, mode: WriteMode): void {
  const { attribute, subAttribute } = target.resolved;
  const { value } = operation;
  const list = readList(doc, target);
  if (target.filter === undefined && subAttribute === undefined) {
    const given = coerceAttribute(attribute, value, target.written, doc.ignored);
    if (mode === 'replace' || value === null) {
      // RFC 7644 §3.5.2.3: replace on a multi-valued attribute without filter replaces all values.
      writeAttribute(doc, target.resolved, given);
      return;
    }
    const appended = new Set<number>();
    for (const element of Array.isArray(given) ? given : []) {
      // RFC 7644 §3.5.2.1: a value already present is not added twice.
      if (list.some((e) => semanticEqual(e, element))) continue;
      list.push(element);
      appended.add(list.length - 1);
    }
    finish(doc, target, list, primaryIndices(list, appended));
    return;
  }
  const indices = matchingIndices(list, attribute, target.filter);
  if (subAttribute) {
    const coerced = coerceSimple(subAttribute, value, target.written);
    if (indices.length === 0) {
      if (coerced === undefined) return;
      list.push(createElement(operation, target, { [subAttribute.name]: coerced }));
      indices.push(list.length - 1);
    }
    for (const i of indices) {
      const element = { ...asObject(list[i]) };
      if (coerced === undefined) delete element[subAttribute.name];
      else element[subAttribute.name] = coerced;
      list[i] = element;
    }
    finish(doc, target, list, primaryIndices(list, indices));
    return;
  }
  if (value === null) {
    writeAttribute(doc, target.resolved, compact(list.filter((_, i) => !indices.includes(i))));
    return;
  }
  const given = coerceComplex(attribute, value, target.written, doc.ignored);
  if (indices.length === 0) {
    if (given === undefined) return;
    list.push(createElement(operation, target, given));
    indices.push(list.length - 1);
  } else {
    const cleared = nullSubAttributes(attribute, value);
    // RFC 7644 §3.5.2.3: "all matching record values SHALL be replaced"; add merges instead.
    for (const i of indices) list[i] = mode === 'add' ? mergeComplex(attribute, list[i], given, cleared) : given;
  }
  finish(doc, target, list, primaryIndices(list, indices));
}

/**
 * A filter that matched nothing: noTarget (RFC 7644 §3.5.2.3), except `type eq "x"`, where Entra
 * means "the work email" of a user who has none yet, so the element is created with that type.
 */
function createElement(operation: PatchOperation, target: AttributeTarget, fields: Record<string, unknown>): Record<string, unknown> {
  const type = typeEqualityValue(target.filter);
  if (type === undefined) {
    throw new ScimPatchError('noTarget', `Operations[${operation.index}]: "${target.written}" matches no value.`, operation.index);
  }
  return { type, ...fields };
}

function finish(doc: PatchDocument, target: AttributeTarget, list: unknown[], newPrimaries: ReadonlySet<number>): void {
  if (newPrimaries.size > 0) clearOtherPrimaries(list, newPrimaries);
  const result = compact(list);
  assertSinglePrimary(result, target.written);
  writeAttribute(doc, target.resolved, result);
}

function asObject(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
