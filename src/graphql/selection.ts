import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind, type GraphQLResolveInfo, type SelectionNode, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects the sub-field `name`, honouring @include and @skip (the
 * SCIM operations ask for a user's groups with `@include(if: $withGroups)`). Lets a write skip
 * reading what its answer does not carry; a fragment it cannot see into counts as selecting it.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const included = (node: SelectionNode) => isIncluded(info, node);
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (!included(s)) return false;
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      const fragment = info.fragments?.[s.name.value];
      return fragment ? visit(fragment.selectionSet) : true;
    });
  return info.fieldNodes.some((f) => visit(f.selectionSet));
}

/**
 * Whether the field being resolved selects nothing but fields of `names` (and `__typename`),
 * honouring @include and @skip: a write whose caller reads back only the user's id and version
 * need not read the rest. A fragment it cannot see into counts as selecting more.
 */
export function selectsOnly(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const included = (node: SelectionNode) => isIncluded(info, node);
  const within = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.every((s) => {
      if (!included(s)) return true;
      if (s.kind === Kind.FIELD) return s.name.value === '__typename' || names.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return within(s.selectionSet);
      const fragment = info.fragments?.[s.name.value];
      return fragment ? within(fragment.selectionSet) : false;
    });
  return info.fieldNodes.every((f) => within(f.selectionSet));
}

/** Whether @skip and @include, with this request's variables, keep the selection. */
function isIncluded(info: GraphQLResolveInfo, node: SelectionNode): boolean {
  return getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}
