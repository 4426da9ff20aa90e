/**
 * Type checks and coercion of attribute values against their definitions (RFC 7643 §2.3), shared
 * by resource validation and PATCH. Lenient where identity providers are known to deviate.
 */
import { ScimValidationError } from './errors.js';
import { isRecord, type JsonObject } from './json.js';
import { findAttribute } from './registry.js';
import type { AttributeDefinition } from './types.js';

// xsd:dateTime as RFC 7643 §2.3.5 requires it (offset optional).
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function invalid(path: string, expected: string, value: unknown): ScimValidationError {
  return new ScimValidationError('invalidValue', `"${path}" must be ${expected}; got ${JSON.stringify(value)}.`);
}

/** Parses a boolean, accepting "True"/"False" in any case: Entra ID sends booleans as strings. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/**
 * Text no attribute can hold, refused as invalidValue: U+0000 (PostgreSQL text refuses it) and
 * lone surrogates (JSON escapes such as "\ud800" that are no Unicode character; they could only be
 * stored as U+FFFD, a value the client never sent).
 */
function checkText(path: string, value: string): void {
  if (value.includes('\u0000')) throw new ScimValidationError('invalidValue', `"${path}" contains the NUL character (U+0000).`);
  if (!value.isWellFormed()) throw new ScimValidationError('invalidValue', `"${path}" contains an unpaired surrogate (not a Unicode character).`);
}

/**
 * Coerces one simple (non-complex) value; null and undefined mean "absent" and give undefined
 * (Entra sends JSON null for empty attributes). Unknown sub-attributes of a complex value are
 * skipped and their paths pushed to `ignored`.
 */
export function coerceSimple(def: AttributeDefinition, value: unknown, path: string, ignored?: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'boolean': {
      const b = parseBoolean(value);
      if (b === undefined) throw invalid(path, 'a boolean', value);
      return b;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, 'an integer', value);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'a number', value);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalid(path, 'an xsd:dateTime string', value);
      }
      return value;
    case 'binary':
      if (typeof value !== 'string' || !BASE64.test(value)) throw invalid(path, 'a base64 string', value);
      return value;
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw invalid(path, 'a string', value);
      checkText(path, value);
      return value;
    case 'complex':
      return coerceComplex(def, value, path, ignored);
  }
}

/**
 * Coerces a complex value: sub-attribute names to canonical case, readOnly sub-attributes dropped
 * (RFC 7643 §2.2: values the client may not set are ignored), null sub-attributes dropped, unknown
 * ones skipped (Entra sends `displayName` inside a member) and their paths pushed to `ignored`.
 * A bare scalar becomes `{value: scalar}`: Entra sends the enterprise `manager` as a plain id.
 */
export function coerceComplex(def: AttributeDefinition, value: unknown, path: string, ignored?: string[]): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  const subs = def.subAttributes ?? [];
  let raw: JsonObject;
  if (isRecord(value)) raw = value;
  else if (!Array.isArray(value) && typeof value !== 'object' && findAttribute(subs, 'value')) raw = { value };
  else throw invalid(path, 'an object', value);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(raw)) {
    const sub = findAttribute(subs, key);
    if (!sub) {
      ignored?.push(`${path}.${key}`);
      continue;
    }
    if (sub.mutability === 'readOnly') continue;
    const coerced = coerceSimple(sub, v, `${path}.${sub.name}`);
    if (coerced !== undefined) out[sub.name] = coerced;
  }
  // All-null input is "absent"; anything else must carry the required sub-attributes.
  if (Object.values(raw).every((v) => v === null || v === undefined)) return undefined;
  for (const sub of subs) {
    if (sub.required && sub.mutability !== 'readOnly' && out[sub.name] === undefined) {
      throw new ScimValidationError('invalidValue', `"${path}.${sub.name}" is required.`);
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Coerces a whole attribute value: a list for multi-valued attributes (a single value is wrapped,
 * null elements dropped), at most one `primary: true` (RFC 7643 §2.4). Undefined means absent.
 */
export function coerceAttribute(def: AttributeDefinition, value: unknown, path: string, ignored?: string[]): unknown {
  if (!def.multiValued) return coerceSimple(def, value, path, ignored);
  if (value === null || value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const out: unknown[] = [];
  list.forEach((item, i) => {
    const coerced = coerceSimple(def, item, `${path}[${i}]`, ignored);
    if (coerced !== undefined) out.push(coerced);
  });
  assertSinglePrimary(out, path);
  return out.length === 0 ? undefined : out;
}

/** Throws invalidValue when more than one element has `primary: true` (RFC 7643 §2.4). */
export function assertSinglePrimary(list: readonly unknown[], path: string): void {
  const primaries = list.filter((e) => isRecord(e) && e['primary'] === true).length;
  if (primaries > 1) {
    throw new ScimValidationError('invalidValue', `"${path}" has ${primaries} values with primary true; at most one is allowed.`);
  }
}
