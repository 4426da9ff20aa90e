/**
 * Helpers for multi-valued and complex attributes (RFC 7643 §2.4): value filters, `primary`,
 * merging sub-attributes.
 */
import type { FilterNode } from '../filter/ast.js';
import { matchesFilter } from '../filter/evaluate.js';
import { findAttribute } from '../schema/registry.js';
import { isRecord, isUnassigned, type JsonObject } from '../schema/json.js';
import type { AttributeDefinition } from '../schema/types.js';

/** Indices of the elements matched by `filter` (every element when there is no filter). */
export function matchingIndices(list: readonly unknown[], attr: AttributeDefinition, filter: FilterNode | undefined): number[] {
  const caseExact = (sub: string): boolean => findAttribute(attr.subAttributes, sub)?.caseExact ?? false;
  const out: number[] = [];
  list.forEach((element, i) => {
    if (filter === undefined || matchesFilter(filter, element, { caseExact })) out.push(i);
  });
  return out;
}

/**
 * The type of a filter of the exact form `type eq "x"`, else undefined. Entra sends
 * `emails[type eq "work"].value` for users without a work email: Roster then creates the element.
 */
export function typeEqualityValue(filter: FilterNode | undefined): string | undefined {
  if (filter?.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  return filter.path.attr === 'type' ? filter.value : undefined;
}

/** RFC 7643 §2.4: `primary: true` appears at most once, so setting it clears it on the others. */
export function clearOtherPrimaries(list: unknown[], keep: ReadonlySet<number>): void {
  list.forEach((element, i) => {
    if (!keep.has(i) && isRecord(element) && element['primary'] === true) element['primary'] = false;
  });
}

/** Indices of the elements of `list` whose `primary` is true. */
export function primaryIndices(list: readonly unknown[], among: Iterable<number>): Set<number> {
  const out = new Set<number>();
  for (const i of among) {
    const element = list[i];
    if (isRecord(element) && element['primary'] === true) out.add(i);
  }
  return out;
}

/** The canonical names of the sub-attributes a client explicitly set to JSON null (Entra does). */
export function nullSubAttributes(attr: AttributeDefinition, raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  return Object.entries(raw)
    .filter(([, v]) => v === null)
    .map(([k]) => findAttribute(attr.subAttributes, k)?.name)
    .filter((n): n is string => n !== undefined);
}

/**
 * Merges sub-attributes into a complex value (RFC 7644 §3.5.2.1 / §3.5.2.3: unspecified
 * sub-attributes stay). When `value` changes, `$ref` and read-only sub-attributes derived from the
 * old value (the manager's displayName) are dropped rather than left stale.
 */
export function mergeComplex(attr: AttributeDefinition, existing: unknown, given: JsonObject | undefined, cleared: readonly string[]): JsonObject | undefined {
  const base: JsonObject = isRecord(existing) ? { ...existing } : {};
  if (given && given['value'] !== undefined && base['value'] !== undefined && base['value'] !== given['value']) {
    for (const sub of attr.subAttributes ?? []) {
      if ((sub.name === '$ref' || sub.mutability === 'readOnly') && given[sub.name] === undefined) delete base[sub.name];
    }
  }
  const merged: JsonObject = { ...base, ...(given ?? {}) };
  for (const name of cleared) delete merged[name];
  return isUnassigned(merged) ? undefined : merged;
}

/** The list without unassigned elements (an element whose sub-attributes were all removed). */
export function compact(list: readonly unknown[]): unknown[] {
  return list.filter((e) => !isUnassigned(e));
}
