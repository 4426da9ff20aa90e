import {
  DocumentNode,
  execute,
  getNamedType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLSchema,
  isInputObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type ExecutionResult,
  type TypeNode,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Principal } from '../auth/principal.js';
import type { GraphContext } from '../graphql/context.js';
import { errorCode } from '../graphql/format-error.js';

/** A GraphQL document parsed and validated once, at start, and compiled when graphql-jit can. */
export interface PreparedOperation {
  name: string;
  document: DocumentNode;
  /** the compiled operation (graphql-jit); absent when it cannot compile the document */
  compiled?: (root: unknown, context: unknown, variables: Record<string, unknown>) => Promise<ExecutionResult> | ExecutionResult;
}

/** Who runs an operation; `session` is the app's per-request handle, opaque to the facade. */
export interface CallContext<S = unknown> {
  session: S;
  principal: Principal;
  requestId: string;
}

/** The facade's only way into the directory: GraphQL operations run in-process. */
export interface Gateway {
  prepare(name: string, source: string): PreparedOperation;
  run<T>(op: PreparedOperation, variables: Record<string, unknown>, call: CallContext): Promise<T>;
}

/** An error GraphQL reported that is not a domain error (a bug in a document, say). */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** An error the API answered with a stable code (GraphQL `extensions.code`); the boundary maps it. */
export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs GraphQL with graphql's `execute` on the built schema: no HTTP hop and no re-parsing, so
 * the SCIM path pays only for resolvers. Errors come back as OperationError with the API's code.
 */
export function createGateway<S>(schema: GraphQLSchema, opts: { context: (session: S, principal: Principal, requestId: string) => GraphContext }): Gateway {
  return {
    prepare(name, source) {
      const document = parse(source);
      const errors = validate(schema, document, specifiedRules);
      if (errors.length) throw new Error(`SCIM operation ${name} does not match the schema: ${errors.map((e) => e.message).join('; ')}`);
      return { name, document, compiled: compile(schema, document) };
    },
    async run<T>(op: PreparedOperation, variables: Record<string, unknown>, call: CallContext): Promise<T> {
      const contextValue = opts.context(call.session as S, call.principal, call.requestId);
      const result = op.compiled ? await op.compiled(undefined, contextValue, variables) : await execute({ schema, document: op.document, variableValues: variables, contextValue });
      if (result.errors?.length) {
        const original = result.errors.find((e) => e.originalError)?.originalError;
        if (original && !(original instanceof GraphQLError)) {
          // The same code a GraphQL client would read in extensions.code; unexpected errors stay as
          // they are, for the boundary to log and answer 500 without internals.
          const code = errorCode(original);
          throw code === 'INTERNAL_SERVER_ERROR' ? original : new OperationError(code, original.message);
        }
        throw new GatewayError(result.errors);
      }
      return result.data as T;
    },
  };
}

/**
 * The fixed SCIM documents compiled to JavaScript once (graphql-jit): graphql-js interprets a
 * document field by field on every request, which was the largest part of a lookup's CPU. A
 * document with a variable of a recursive input type (FilterInput) is executed by graphql-js, as
 * before: graphql-jit recurses on such a type until the stack overflows, after seconds and
 * hundreds of megabytes, so it is not even tried.
 */
function compile(schema: GraphQLSchema, document: DocumentNode): PreparedOperation['compiled'] {
  if (hasRecursiveVariable(schema, document)) return undefined;
  try {
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) return undefined;
    return (root, context, variables) => compiled.query(root, context, variables);
  } catch {
    return undefined;
  }
}

/** Whether a variable of the document has an input type that contains itself (at any depth). */
function hasRecursiveVariable(schema: GraphQLSchema, document: DocumentNode): boolean {
  const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of def.variableDefinitions ?? []) {
      const type = schema.getType(named(v.type));
      if (type && isInputObjectType(type) && reaches(type, type, new Set())) return true;
    }
  }
  return false;
}

function reaches(from: GraphQLInputObjectType, target: GraphQLInputObjectType, seen: Set<string>): boolean {
  if (seen.has(from.name)) return false;
  seen.add(from.name);
  for (const field of Object.values(from.getFields())) {
    const t = getNamedType(field.type);
    if (!isInputObjectType(t)) continue;
    if (t === target || reaches(t, target, seen)) return true;
  }
  return false;
}
