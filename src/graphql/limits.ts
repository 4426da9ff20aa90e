import { DocumentNode, GraphQLError, GraphQLSchema, Kind, SelectionSetNode, ValidationContext, ASTVisitor, FragmentDefinitionNode, OperationDefinitionNode, visit, getVariableValues } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { MAX_PAGE } from '../domain/list.js';
import { badInput, variableProblem } from './input-checks.js';

/** Deepest selection a query may have. */
export const MAX_DEPTH = 12;
/** Most work one query may ask for, in estimated field resolutions. */
export const MAX_COST = 250_000;
/**
 * Most fields one document may name, counting a fragment at every place it is spread. GraphiQL's
 * introspection query names 230; validation time grows with this (quadratically for fields that
 * share a response name), so it is checked before validation.
 */
export const MAX_FIELDS = 1000;
/** Most aliases one document may use (fragments expanded): aliases are how one request repeats work. */
export const MAX_ALIASES = 100;
/** Most lexical tokens graphql-js parses before it gives up (the introspection query has 184; GRAPHQL_MAX_QUERY_BYTES bounds them too). */
export const MAX_TOKENS = 20_000;

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

/**
 * How many fields and aliases a document names, with every fragment counted where it is spread (a
 * fragment's own count is computed once and memoised, so a fragment bomb costs no more to count
 * than its text). Unused fragments count once; cycles are left to graphql's own rule.
 */
export function countSelections(document: DocumentNode): { fields: number; aliases: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, { fields: number; aliases: number }>();
  const used = new Set<string>();
  const count = (set: SelectionSetNode | undefined, path: Set<string>): { fields: number; aliases: number } => {
    let fields = 0;
    let aliases = 0;
    for (const s of set?.selections ?? []) {
      let inner: { fields: number; aliases: number };
      if (s.kind === Kind.FIELD) {
        inner = count(s.selectionSet, path);
        fields += 1;
        if (s.alias) aliases += 1;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = count(s.selectionSet, path);
      } else {
        const name = s.name.value;
        used.add(name);
        if (path.has(name)) continue;
        let known = memo.get(name);
        if (!known) {
          path.add(name);
          known = count(fragments.get(name)?.selectionSet, path);
          path.delete(name);
          memo.set(name, known);
        }
        inner = known;
      }
      fields += inner.fields;
      aliases += inner.aliases;
    }
    return { fields, aliases };
  };
  const total = { fields: 0, aliases: 0 };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const c = count(d.selectionSet, new Set());
    total.fields += c.fields;
    total.aliases += c.aliases;
  }
  // Fragments no operation spreads are still validated: their fields count once.
  for (const [name, f] of fragments) {
    if (used.has(name)) continue;
    visit(f, {
      Field(node) {
        total.fields += 1;
        if (node.alias) total.aliases += 1;
      },
    });
  }
  return total;
}

/** Throws QUERY_TOO_COMPLEX (400) when a document names more than MAX_FIELDS fields or MAX_ALIASES aliases. */
export function checkShape(document: DocumentNode): void {
  const { fields, aliases } = countSelections(document);
  if (fields > MAX_FIELDS) throw tooComplex(`The query names ${fields} fields (fragments counted where they are spread); the limit is ${MAX_FIELDS}.`);
  if (aliases > MAX_ALIASES) throw tooComplex(`The query uses ${aliases} aliases; the limit is ${MAX_ALIASES}.`);
}

const tooComplex = (message: string, extra: Record<string, unknown> = {}): GraphQLError =>
  // Without an http status Apollo answers an error thrown before execution with a 500; this is the client's fault.
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extra, http: { status: 400 } } });

/** User.groups returns at most `first` groups: 100 unless asked, 10,000 at most (the SCIM facade asks for all). */
export const DEFAULT_GROUPS_PER_USER = 100;
export const MAX_GROUPS_PER_USER = 10_000;
/** Unpaged SAML lists, charged the same way: IdPs, certificates of one IdP (two while it rotates), role mappings of one IdP. */
export const SAML_CONNECTIONS = 20;
export const CERTIFICATES_PER_IDP = 4;
export const ROLE_MAPPINGS_PER_IDP = 50;
/** Most sessions one `sessions` query returns. */
export const MAX_SESSIONS_PAGE = 500;

/**
 * Every list field, charged at the page it really returns: the argument that sets the page, its
 * default and its maximum, as the resolvers apply them. Keep in step with them:
 * users/groups: resolvers/paging.ts window() (first ?? limit ?? 50, at most MAX_PAGE);
 * Group.members: group.resolver.ts (limit, default 100, at most 100000);
 * auditEvents: admin.resolver.ts (limit, default 50, at most MAX_AUDIT_PAGE = 1000);
 * auditLog: admin.resolver.ts (first, default 50, at most MAX_AUDIT_PAGE; its nodes are the page);
 * scimRequests: admin.resolver.ts (first, default 20, at most MAX_SCIM_REQUESTS = 100);
 * User.groups: user.resolver.ts, the user's first `first` groups (DEFAULT_GROUPS_PER_USER unless asked);
 * sessions: sso.resolver.ts (first, default 50, at most MAX_SESSIONS_PAGE);
 * samlConnections and their certificates and roleMappings: sso.resolver.ts (unpaged: the constants above).
 */
const LISTS: Readonly<Record<string, { args: readonly string[]; page: number; max: number }>> = {
  'Query.users': { args: ['first', 'limit'], page: 50, max: MAX_PAGE },
  'Query.groups': { args: ['first', 'limit'], page: 50, max: MAX_PAGE },
  'Group.members': { args: ['limit'], page: 100, max: 100_000 },
  'Query.auditEvents': { args: ['limit'], page: 50, max: 1000 },
  'Query.auditLog': { args: ['first'], page: 50, max: 1000 },
  'Query.scimRequests': { args: ['first'], page: 20, max: 100 },
  'User.groups': { args: ['first'], page: DEFAULT_GROUPS_PER_USER, max: MAX_GROUPS_PER_USER },
  'Query.sessions': { args: ['first'], page: 50, max: MAX_SESSIONS_PAGE },
  'Query.samlConnections': { args: [], page: SAML_CONNECTIONS, max: SAML_CONNECTIONS },
  'SamlConnection.certificates': { args: [], page: CERTIFICATES_PER_IDP, max: CERTIFICATES_PER_IDP },
  'SamlConnection.roleMappings': { args: [], page: ROLE_MAPPINGS_PER_IDP, max: ROLE_MAPPINGS_PER_IDP },
};

/** Lists cost their page size times what each item selects. */
const pagedEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const list = LISTS[`${type.name}.${field.name}`];
  if (list) {
    const asked = list.args.map((a) => args[a] as unknown).find((v): v is number => typeof v === 'number');
    const page = Math.min(Math.max(asked ?? list.page, 1), list.max);
    return 1 + childComplexity * page;
  }
  if (Array.isArray(args.ids)) return 1 + args.ids.length;
  return undefined;
};

/**
 * Throws a QUERY_TOO_COMPLEX error when the estimated cost is over MAX_COST. The variables are
 * coerced here, before graphql's own execution does it: a variable of the wrong type is answered
 * BAD_USER_INPUT (400), in words that never repeat the value of a secret.
 */
export function checkCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, operationName?: string | null): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: 4 * MAX_FIELDS,
    });
  } catch (err) {
    const problem = variableProblem(schema, document, operation, variables ?? {});
    if (problem) throw badInput(problem);
    if (!(err instanceof GraphQLError)) throw err;
    if (/maximum allowed number of nodes/.test(err.message)) throw tooComplex('The query has too many selections.');
    // An argument execution would refuse too (a null where the argument is non-null, say): the client's error.
    throw badInput(err.message);
  }
  if (cost > MAX_COST) throw tooComplex(`The query would cost ${cost}; the limit is ${MAX_COST}. Ask for smaller pages or fewer fields.`, { cost });
}

/** Arguments whose value the cost estimate reads: every list's page argument, and `ids`. */
const COST_ARGUMENTS = new Set([...Object.values(LISTS).flatMap((l) => l.args), 'ids']);

/**
 * The variables a document's cost can depend on: those used inside a page argument, an `ids`
 * argument or a directive (@include and @skip decide what is counted). Any other variable (a
 * filter's value, an input object) never changes the estimate.
 */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let inside = 0;
  const enter = () => {
    inside++;
  };
  const leave = () => {
    inside--;
  };
  visit(document, {
    Argument: {
      enter(node, _key, _parent, _path, ancestors) {
        // The node that holds the argument list: a field or a directive.
        const holder = [...ancestors].reverse().find((a) => !Array.isArray(a)) as { kind?: string } | undefined;
        const directiveArgument = holder?.kind === Kind.DIRECTIVE;
        if (directiveArgument || COST_ARGUMENTS.has(node.name.value)) enter();
        else return false;
      },
      leave,
    },
    Variable(node) {
      if (inside > 0) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

/**
 * checkCost with a memory: an operation's cost is computed once per value of the variables it
 * depends on (costVariables), not on every request. getComplexity walks the whole document with
 * graphql's TypeInfo; for a repeated lookup that walk was a third of its GraphQL CPU. Variables are
 * still coerced on every request, so a bad one is answered exactly as before.
 */
export class CostChecker {
  private readonly passed = new Map<string, true>();
  private readonly relevant = new WeakMap<DocumentNode, string[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly max = 2000,
  ) {}

  check(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined, operationName: string | null | undefined, queryHash: string): void {
    let names = this.relevant.get(document);
    if (!names) {
      names = costVariables(document);
      this.relevant.set(document, names);
    }
    const key = `${queryHash}\n${operationName ?? ''}\n${JSON.stringify(names.map((n) => variables?.[n] ?? null))}`;
    if (this.passed.has(key) && !getVariableValues(this.schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return;
    checkCost(this.schema, document, operation, variables, operationName);
    if (this.passed.size >= this.max) this.passed.delete(this.passed.keys().next().value!);
    this.passed.set(key, true);
  }
}
