import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentNode, execute, GraphQLError, GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import type { Principal } from '../auth/principal';
import type { GraphContext } from '../graphql/context';

/** A GraphQL document parsed and validated once, at start. */
export interface PreparedOperation {
  name: string;
  document: DocumentNode;
}

/** Who runs an operation, and on which EntityManager. */
export interface CallContext {
  em: EntityManager;
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

/**
 * Runs GraphQL with graphql's `execute` on the built schema: no HTTP hop and no re-parsing, so
 * the SCIM path pays only for resolvers. Domain errors thrown by resolvers are rethrown as they
 * are, for the SCIM error boundary to map.
 */
export function createGateway(schema: GraphQLSchema, opts: { context: (em: EntityManager, principal: Principal, requestId: string) => GraphContext }): Gateway {
  return {
    prepare(name, source) {
      const document = parse(source);
      const errors = validate(schema, document, specifiedRules);
      if (errors.length) throw new Error(`SCIM operation ${name} does not match the schema: ${errors.map((e) => e.message).join('; ')}`);
      return { name, document };
    },
    async run<T>(op: PreparedOperation, variables: Record<string, unknown>, call: CallContext): Promise<T> {
      const result = await execute({ schema, document: op.document, variableValues: variables, contextValue: opts.context(call.em, call.principal, call.requestId) });
      if (result.errors?.length) {
        const original = result.errors.find((e) => e.originalError)?.originalError;
        if (original && !(original instanceof GraphQLError)) throw original;
        throw new GatewayError(result.errors);
      }
      return result.data as T;
    },
  };
}
