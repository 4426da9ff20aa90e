import type { AuthCheckerFn } from 'type-graphql';
import { Forbidden, Unauthenticated } from '../domain/errors/domain-errors.js';
import type { Role } from '../domain/credentials/credential-record.js';
import type { GraphContext } from '../graphql/context.js';

/** type-graphql's role check: every root field declares the roles that may use it. */
export const authChecker: AuthCheckerFn<GraphContext, Role> = ({ context }, roles) => {
  // No Authorization header at all: say how to send one, not just that it is missing.
  if (!context.principal) throw context.authError ?? new Unauthenticated('A valid credential is required: send an API key as "Authorization: Bearer <key>".');
  if (!roles.includes(context.principal.role)) throw new Forbidden(`The ${context.principal.role} role cannot do this.`);
  return true;
};
