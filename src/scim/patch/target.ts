/**
 * Resolution of PATCH paths (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`) and of the keys of
 * no-path values against the schemas. Unknown names and bad syntax are invalidPath.
 */
import type { FilterNode } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parser.js';
import { UnreachableCaseError } from '../filter/unreachable.js';
import { ScimPatchError } from '../schema/errors.js';
import { extensionSchema, findAttribute, formatAttrPath, lookupAttribute, resolveName } from '../schema/registry.js';
import type { AttributeDefinition, ResourceTypeName } from '../schema/types.js';
import type { AttributeTarget, ExtensionTarget } from './types.js';

/** Resolves an operation's `path`; throws ScimPatchError invalidPath for unknown or malformed paths. */
export function resolvePatchPath(resourceType: ResourceTypeName, path: string, index: number): AttributeTarget | ExtensionTarget {
  const written = path.trim();
  // A bare extension URN names the whole extension object; the filter grammar would split it.
  const ext = extensionSchema(resourceType, written);
  if (ext) return { kind: 'extension', schemaId: ext.id, written };
  let parsed;
  try {
    parsed = parsePatchPath(written);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScimPatchError('invalidPath', `Operations[${index}]: invalid path "${written}": ${reason}`, index);
  }
  const resolved = lookupAttribute(resourceType, parsed.path);
  if (!resolved) {
    throw new ScimPatchError('invalidPath', `Operations[${index}]: unknown attribute "${formatAttrPath(parsed.path)}".`, index);
  }
  if (parsed.filter === undefined) {
    if (parsed.subAfterFilter !== undefined) throw bad(index, written, 'a sub-attribute after a path without filter');
    return { kind: 'attribute', resolved, written };
  }
  const attr = resolved.attribute;
  if (resolved.subAttribute || !attr.multiValued || attr.type !== 'complex') {
    throw bad(index, written, 'a value filter is allowed only on a multi-valued complex attribute');
  }
  const filter = canonicalFilter(parsed.filter, attr, index, written);
  if (parsed.subAfterFilter === undefined) return { kind: 'attribute', resolved, filter, written };
  const sub = findAttribute(attr.subAttributes, parsed.subAfterFilter);
  if (!sub) throw bad(index, written, `"${attr.name}" has no sub-attribute "${parsed.subAfterFilter}"`);
  return { kind: 'attribute', resolved: { ...resolved, subAttribute: sub }, filter, written };
}

/**
 * Resolves a key of a no-path add/replace value: an attribute name, a dotted or URN-qualified path
 * (Okta and Entra send `{"name.givenName": …}` and `{"urn:…:enterprise:2.0:User:employeeNumber": …}`),
 * an extension URN, or a path with a value filter. `schemas` gives undefined (skipped); a name the
 * schemas do not know gives 'unknown' (skipped too, like an unknown attribute of a POST body).
 */
export function resolveValueKey(resourceType: ResourceTypeName, key: string, index: number): AttributeTarget | ExtensionTarget | 'unknown' | undefined {
  if (key.trim().toLowerCase() === 'schemas') return undefined;
  const name = resolveName(resourceType, key);
  if (name?.kind === 'attribute') return { kind: 'attribute', resolved: name.resolved, written: key };
  if (name?.kind === 'schema' && name.extension) return { kind: 'extension', schemaId: name.schemaId, written: key };
  if (key.includes('[')) return resolvePatchPath(resourceType, key, index);
  return 'unknown';
}

function bad(index: number, written: string, why: string): ScimPatchError {
  return new ScimPatchError('invalidPath', `Operations[${index}]: invalid path "${written}": ${why}.`, index);
}

/**
 * Rewrites the filter's attribute names to the canonical sub-attribute names of `attr`, so the
 * in-memory evaluation sees the keys the resource has; unknown names are invalidPath.
 */
function canonicalFilter(node: FilterNode, attr: AttributeDefinition, index: number, written: string): FilterNode {
  const rename = (path: { urn?: string; attr: string; sub?: string }): { attr: string } => {
    const sub = path.urn === undefined && path.sub === undefined ? findAttribute(attr.subAttributes, path.attr) : undefined;
    if (!sub) throw bad(index, written, `"${attr.name}" has no sub-attribute "${formatAttrPath(path)}"`);
    return { attr: sub.name };
  };
  switch (node.kind) {
    case 'compare':
      return { ...node, path: rename(node.path) };
    case 'present':
      return { ...node, path: rename(node.path) };
    case 'and':
    case 'or':
      return {
        ...node,
        left: canonicalFilter(node.left, attr, index, written),
        right: canonicalFilter(node.right, attr, index, written),
      };
    case 'not':
      return { ...node, filter: canonicalFilter(node.filter, attr, index, written) };
    case 'valuePath':
      throw bad(index, written, 'value filters cannot be nested');
    default:
      throw new UnreachableCaseError(node);
  }
}
