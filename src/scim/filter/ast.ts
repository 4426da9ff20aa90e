/**
 * The SCIM filter AST (RFC 7644 §3.4.2.2). A discriminated union kept as a tree: never flattened
 * to a normal form, which can grow exponentially.
 */

/** Comparison operators, lower-cased (the RFC makes them case-insensitive). */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal of the grammar: string (incl. dateTime, which is a string), number, boolean or null. */
export type FilterLiteral = string | number | boolean | null;

/**
 * An attribute path as written: optional schema URN, attribute name, optional sub-attribute.
 * `urn` is undefined when none was written. Names keep the case the client sent.
 */
export interface AttrPath {
  urn?: string;
  attr: string;
  sub?: string;
}

export type FilterNode =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterLiteral }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  /** `emails[type eq "work"]`: `filter` paths are relative to the element (sub-attribute names). */
  | { kind: 'valuePath'; path: AttrPath; filter: FilterNode };

/**
 * A PATCH path (RFC 7644 §3.5.2): `attrPath`, or `valuePath` optionally followed by `.subAttr`
 * (`emails[type eq "work"].value`).
 */
export interface PatchPath {
  path: AttrPath;
  filter?: FilterNode;
  /** sub-attribute after a value filter: `emails[type eq "work"].value` → 'value' */
  subAfterFilter?: string;
}

/** Thrown for any syntax error; the facade maps it to 400 invalidFilter (or invalidPath for PATCH). */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}
