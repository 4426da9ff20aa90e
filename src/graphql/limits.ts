import { DocumentNode, GraphQLError, GraphQLSchema, Kind, SelectionSetNode, ValidationContext, ASTVisitor, FragmentDefinitionNode } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** Deepest selection a query may have. */
export const MAX_DEPTH = 12;
/** Most work one query may ask for, in estimated field resolutions. */
export const MAX_COST = 250_000;

/**
 * Rejects queries nested deeper than MAX_DEPTH. Fragments count where they are spread, every time
 * (a fragment's depth is computed once and memoised); cycles are reported by graphql's own rule.
 */
export function depthLimitRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  /** How many levels a selection set reaches below the field that holds it. */
  const depthOf = (set: SelectionSetNode | undefined, introspecting: boolean, path: Set<string>): number => {
    let max = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        const inside = introspecting || s.name.value.startsWith('__');
        // GraphiQL's (and every codegen's) introspection query nests ofType nine times to unwrap
        // types like [T!]!; each step returns one type, so it adds no work and counts no depth.
        const step = inside && s.name.value === 'ofType' ? 0 : 1;
        max = Math.max(max, step + depthOf(s.selectionSet, inside, path));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet, introspecting, path));
      } else if (!path.has(s.name.value)) {
        const key = `${introspecting}:${s.name.value}`;
        let d = memo.get(key);
        if (d === undefined) {
          path.add(s.name.value);
          d = depthOf(fragments.get(s.name.value)?.selectionSet, introspecting, path);
          path.delete(s.name.value);
          memo.set(key, d);
        }
        max = Math.max(max, d);
      }
    }
    return max;
  };
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, false, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(new GraphQLError(`The query is nested ${depth} levels deep; the limit is ${MAX_DEPTH}.`, { nodes: [node], extensions: { code: 'QUERY_TOO_DEEP' } }));
      }
    },
  };
}

/** Lists cost their page size times what each item selects. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const n = [args.first, args.limit].find((v): v is number => typeof v === 'number');
  if (n !== undefined) return 1 + childComplexity * Math.max(n, 1);
  if (Array.isArray(args.ids)) return 1 + args.ids.length;
  return undefined;
};

/** Throws a QUERY_TOO_COMPLEX error when the estimated cost is over MAX_COST. */
export function checkCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null): void {
  const cost = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (cost > MAX_COST) {
    throw new GraphQLError(`The query would cost ${cost}; the limit is ${MAX_COST}. Ask for smaller pages or fewer fields.`, {
      // Without an http status Apollo answers an error thrown before execution with a 500; this is the client's fault.
      extensions: { code: 'QUERY_TOO_COMPLEX', cost, http: { status: 400 } },
    });
  }
}
