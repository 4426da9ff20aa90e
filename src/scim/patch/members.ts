/**
 * Group membership under PATCH. Members are never loaded to change one of them (DESIGN §2): each
 * operation updates a delta, and all operations of a request collapse into one delta, in order.
 */
import type { FilterNode } from '../filter/ast.js';
import { UnreachableCaseError } from '../filter/unreachable.js';
import { ScimPatchError, ScimValidationError } from '../schema/errors.js';
import { isRecord } from '../schema/json.js';
import { coerceComplex } from '../schema/values.js';
import type { PatchDocument } from './document.js';
import { matchingIndices } from './multi.js';
import type { AttributeTarget, MemberDelta, MemberRef, PatchOperation } from './types.js';

/** Collects member operations into one net delta (later operations override earlier ones). */
export class MemberTracker {
  private replaceAll: Map<string, MemberRef> | undefined;
  private readonly adds = new Map<string, MemberRef>();
  private readonly removes = new Set<string>();
  private touched = false;

  /** Adds members; a later add undoes an earlier remove of the same member. */
  add(refs: readonly MemberRef[]): void {
    this.touched = true;
    for (const ref of refs) {
      if (this.replaceAll) this.replaceAll.set(ref.value, ref);
      else {
        this.removes.delete(ref.value);
        this.adds.set(ref.value, ref);
      }
    }
  }

  /**
   * Removes members; a remove after an add of the same member cancels the add. The remove itself
   * stays: the member may have been there before this request.
   */
  remove(values: readonly string[]): void {
    this.touched = true;
    for (const value of values) {
      if (this.replaceAll) this.replaceAll.delete(value);
      else {
        this.adds.delete(value);
        this.removes.add(value);
      }
    }
  }

  /** Makes the membership exactly `refs`, discarding earlier adds and removes. */
  replace(refs: readonly MemberRef[]): void {
    this.touched = true;
    this.adds.clear();
    this.removes.clear();
    this.replaceAll = new Map(refs.map((r) => [r.value, r]));
  }

  /** The net delta, or undefined when no operation touched members. */
  delta(): MemberDelta | undefined {
    if (!this.touched) return undefined;
    const delta: MemberDelta = { add: [...this.adds.values()], remove: [...this.removes] };
    if (this.replaceAll) delta.replaceAll = [...this.replaceAll.values()];
    return delta;
  }
}

/**
 * Applies one operation on Group `members`: add → delta.add; replace → replaceAll; remove with
 * `members[value eq "x"]` → delta.remove; remove `members` with a value list (Entra) removes only
 * those; remove `members` without value clears the group. Member sub-attributes are not writable
 * in Roster (`members[value eq "x"].display` is invalidPath): membership is the only state.
 */
export function applyMemberOperation(doc: PatchDocument, operation: PatchOperation, target: AttributeTarget): void {
  const { op, index, value } = operation;
  if (target.resolved.subAttribute) {
    throw new ScimPatchError('invalidPath', `Operations[${index}]: "${target.written}": member sub-attributes cannot be changed; add or remove members instead.`, index);
  }
  switch (op) {
    case 'add':
      if (target.filter) throw filterNotAllowed(index, target);
      doc.members.add(memberRefs(target, value, index, doc.ignored));
      return;
    case 'replace':
      if (target.filter) throw filterNotAllowed(index, target);
      doc.members.replace(memberRefs(target, value, index, doc.ignored));
      return;
    case 'remove':
      if (target.filter) doc.members.remove(filteredValues(doc, target, index));
      else if (value === undefined || value === null) doc.members.replace([]);
      // Entra's legacy form {"op":"Remove","path":"members","value":[{"value":"…"}]} means "remove these".
      else doc.members.remove(memberRefs(target, value, index, doc.ignored).map((r) => r.value));
      return;
    default:
      throw new UnreachableCaseError(op);
  }
}

function filterNotAllowed(index: number, target: AttributeTarget): ScimPatchError {
  return new ScimPatchError('invalidPath', `Operations[${index}]: "${target.written}": add or replace members without a value filter.`, index);
}

/** Parses a member list (or one member); each needs a string `value` (RFC 7643 §4.2). */
function memberRefs(target: AttributeTarget, value: unknown, index: number, ignored: string[]): MemberRef[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const refs = new Map<string, MemberRef>();
  list.forEach((item, i) => {
    let member;
    try {
      member = coerceComplex(target.resolved.attribute, item, `members[${i}]`, ignored);
    } catch (error) {
      if (!(error instanceof ScimValidationError)) throw error;
      throw new ScimPatchError(error.scimType, `Operations[${index}]: ${error.detail}`, index);
    }
    if (member === undefined) return;
    const v = member['value'];
    if (typeof v !== 'string' || v === '') {
      throw new ScimPatchError('invalidValue', `Operations[${index}]: members[${i}].value must be a non-empty string.`, index);
    }
    const type = member['type'];
    refs.set(v, typeof type === 'string' ? { value: v, type } : { value: v });
  });
  return [...refs.values()];
}

/**
 * The member ids a remove filter names. `value eq "x"` (possibly or-ed) needs no member list;
 * other filters are evaluated only when the caller passed the current members.
 */
function filteredValues(doc: PatchDocument, target: AttributeTarget, index: number): string[] {
  const filter = target.filter;
  if (!filter) return [];
  const direct = valueEqualities(filter);
  if (direct) return direct;
  if (doc.currentMembers === undefined) {
    throw new ScimPatchError('invalidPath', `Operations[${index}]: "${target.written}": remove members with members[value eq "<id>"].`, index);
  }
  const list = [...doc.currentMembers];
  return matchingIndices(list, target.resolved.attribute, filter)
    .map((i) => list[i])
    .map((m) => (isRecord(m) ? m['value'] : undefined))
    .filter((v): v is string => typeof v === 'string');
}

function valueEqualities(node: FilterNode): string[] | undefined {
  if (node.kind === 'compare') {
    return node.op === 'eq' && node.path.attr === 'value' && typeof node.value === 'string' ? [node.value] : undefined;
  }
  if (node.kind === 'or') {
    const left = valueEqualities(node.left);
    const right = valueEqualities(node.right);
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
}
