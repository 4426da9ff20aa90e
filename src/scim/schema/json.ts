/**
 * Small helpers over plain JSON values. SCIM attribute names are case-insensitive
 * (RFC 7643 §2.1), so object keys are looked up without regard to case.
 */

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `obj` equal to `name` without regard to case, or undefined. */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** `obj[name]` looked up without regard to case. */
export function getKey(obj: JsonObject, name: string): unknown {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** Sets `obj[name]` after removing any key that differs from `name` only in case. */
export function setKey(obj: JsonObject, name: string, value: unknown): void {
  deleteKey(obj, name);
  obj[name] = value;
}

/** Deletes every key of `obj` equal to `name` without regard to case. */
export function deleteKey(obj: JsonObject, name: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) delete obj[k];
}

/**
 * Deep copy of a JSON value. A walk of plain objects and arrays rather than `structuredClone`,
 * which serialises through V8's value serializer: measured on Node 24, 1.2–1.5 µs for a two-key
 * object and ~7 µs for a SCIM user against 0.05–0.1 and ~0.9 µs walked, and every PATCH copies the
 * resource twice. Anything else (a Date, say) is still copied by `structuredClone`.
 */
export function cloneJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copy);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    // a parsed body may carry an own "__proto__" key: it stays a key, as it was, never a prototype
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = copy((v as Record<string, unknown>)[k]);
  }
  return out;
}

/**
 * True when a value means "unassigned": undefined, null, an empty list or an empty object
 * (RFC 7644 §3.5.2.2: a multi-valued attribute with no values left is unassigned).
 */
export function isUnassigned(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.values(value).every(isUnassigned);
  return false;
}

/**
 * Structural equality of JSON values where unassigned values (null, [], {}) equal absence, so that
 * a PATCH that changes nothing is recognised as such (DESIGN §8: no version bump).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isUnassigned(a) && isUnassigned(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}
