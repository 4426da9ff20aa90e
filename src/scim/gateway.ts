import { DocumentNode, execute, GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import type { Principal } from '../auth/principal.js';
import type { GraphContext } from '../graphql/context.js';
import { compileOperation, type CompiledOperation } from '../graphql/compile.js';
import { errorCode } from '../graphql/format-error.js';

/** A GraphQL document parsed and validated once, at start, and compiled when graphql-jit can. */
export interface PreparedOperation {
  name: string;
  document: DocumentNode;
  /** the compiled operation (graphql-jit); absent when it cannot compile the document */
  compiled?: CompiledOperation;
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
      // The fixed SCIM documents are compiled once, at start (see compileOperation).
      return { name, document, compiled: compileOperation(schema, document) };
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
