import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';
import { DomainError } from '../domain/errors/domain-errors.js';
import { QueryTimeout } from './deadline.js';
import { redactVariableMessage } from './input-checks.js';

/** Codes that come from GraphQL itself rather than the domain. */
const GRAPHQL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_LARGE',
]);

/** The stable code of any error thrown while executing. */
export function errorCode(err: unknown): string {
  if (err instanceof DomainError) return err.code;
  if (err instanceof AuthenticationError) return 'UNAUTHENTICATED';
  if (err instanceof AuthorizationError) return 'FORBIDDEN';
  if (err instanceof ArgumentValidationError) return 'INVALID_VALUE';
  if (err instanceof QueryTimeout) return 'QUERY_TIMEOUT';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED; the error it wraps keeps the
 * code our own rules set (QUERY_TOO_DEEP), which is the one clients should see.
 */
function ownRuleCode(error: unknown): string | undefined {
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError ? inner.extensions?.code : undefined;
  return typeof code === 'string' && GRAPHQL_CODES.has(code) ? code : undefined;
}

/**
 * The one place GraphQL errors are shaped: domain errors keep their message and code; anything
 * unexpected becomes INTERNAL_SERVER_ERROR with no internals (driver errors carry SQL and values).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, onInternal?: (err: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const given = ownRuleCode(error) ?? (formatted.extensions?.code as string | undefined);
  // graphql-js repeats a variable's value when it does not coerce; never a secret's.
  const message = redactVariableMessage(formatted.message);
  if (given && GRAPHQL_CODES.has(given)) return { message, locations: formatted.locations, path: formatted.path, extensions: { code: given } };
  if (original instanceof GraphQLError && !original.originalError && !formatted.path) {
    // graphql-js's own request errors carry no code, which Apollo labels INTERNAL_SERVER_ERROR: they are the client's.
    return { message, locations: formatted.locations, extensions: { code: given && given !== 'INTERNAL_SERVER_ERROR' ? given : 'GRAPHQL_VALIDATION_FAILED' } };
  }
  const code = errorCode(original);
  if (code === 'INTERNAL_SERVER_ERROR') {
    onInternal?.(original);
    return { message: 'Internal error; the server log has the details under this request id.', path: formatted.path, extensions: { code } };
  }
  const details = original instanceof DomainError ? original.details : undefined;
  return { message: (original as Error).message, locations: formatted.locations, path: formatted.path, extensions: { code, ...(details ? { details } : {}) } };
}
