/** Types of the PATCH engine (RFC 7644 §3.5.2). */
import type { FilterNode } from '../filter/ast.js';
import type { ResolvedAttribute, ScimResource } from '../schema/types.js';

/** The three PATCH operations, lower-cased (Entra sends "Add", "Replace", "Remove"). */
export type PatchOpName = 'add' | 'remove' | 'replace';

/** A group member as a PATCH names it. `type` is "User" or "Group" when the client says so. */
export interface MemberRef {
  value: string;
  type?: string;
}

/**
 * The net membership change of one PATCH, applied as row deltas: never "load all members, write
 * all members" (DESIGN §2). With `replaceAll`, the group's members become exactly that list and
 * `add`/`remove` are empty.
 */
export interface MemberDelta {
  add: MemberRef[];
  remove: string[];
  replaceAll?: MemberRef[];
}

/** What applyPatch returns: the new resource (groups without members), the member delta, and whether anything changes. */
export interface PatchResult {
  resource: ScimResource;
  memberDelta?: MemberDelta;
  /**
   * false when the PATCH changes nothing (DESIGN §8: no version bump). A member delta counts as a
   * change: only the database knows whether its rows differ.
   */
  changed: boolean;
  /** unknown attributes and sub-attributes found in values and skipped, as the client wrote them */
  ignored: string[];
}

/** The target of an operation on an attribute, resolved against the schemas. */
export interface AttributeTarget {
  kind: 'attribute';
  /** the attribute, and `subAttribute` for `name.familyName` or `emails[…].value` */
  resolved: ResolvedAttribute;
  /** the value filter of `emails[type eq "work"]`, with canonical sub-attribute names */
  filter?: FilterNode;
  /** the path as the client wrote it, for error details */
  written: string;
}

/** A whole extension object (`path` is the extension URN). */
export interface ExtensionTarget {
  kind: 'extension';
  schemaId: string;
  written: string;
}

/**
 * One operation after normalisation: op lower-cased, path resolved. No-path add/replace values
 * are expanded into one operation per attribute, in the order the client wrote them.
 */
export interface PatchOperation {
  /** index in `Operations`, for error details */
  index: number;
  op: PatchOpName;
  target: AttributeTarget | ExtensionTarget;
  /** the `value` member; undefined when absent (allowed for remove only) */
  value: unknown;
}
