/** Stable codes of domain errors; they become GraphQL `extensions.code` and drive SCIM statuses. */
export type DomainErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNIQUENESS'
  | 'VERSION_MISMATCH'
  | 'INVALID_VALUE'
  | 'INVALID_FILTER'
  | 'INVALID_PATH'
  | 'NO_TARGET'
  | 'MUTABILITY'
  | 'TOO_MANY'
  | 'MANAGED_BY_IDP'
  | 'PROVISIONING_INACTIVE'
  | 'QUERY_TIMEOUT';

/** Base of every error the domain throws on purpose; the message is safe to show to clients. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No credential, or one that is unknown, revoked or suspended. */
export class Unauthenticated extends DomainError {
  constructor(message = 'A valid credential is required.') {
    super('UNAUTHENTICATED', message);
  }
}

/** The credential's role does not allow this. */
export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this operation.') {
    super('FORBIDDEN', message);
  }
}

/**
 * A SCIM token wrote a user or group its IdP does not manage (DESIGN §5): another IdP's, or a local
 * one while adoption is off. FORBIDDEN (403 over SCIM). The message never names the owner.
 */
export class NotManagedByIdp extends Forbidden {
  constructor(
    readonly resource: 'user' | 'group',
    readonly resourceId: string,
    readonly idp: string,
    readonly operation: 'update' | 'delete',
  ) {
    super(
      `This ${resource} is not managed by the identity provider "${idp}": it may read it but not change it. ` +
        `(A locally created ${resource} can be adopted by "${idp}" once an admin turns adoption on for it.)`,
    );
  }
}

/** The named resource does not exist. */
export class NotFound extends DomainError {
  constructor(resource: string, id: string) {
    super('NOT_FOUND', `${resource} ${JSON.stringify(id)} not found.`, { resource, id });
  }
}

/** A unique attribute (userName, group displayName) is taken. */
export class Uniqueness extends DomainError {
  constructor(message: string) {
    super('UNIQUENESS', message);
  }
}

/** The caller's expected version (If-Match / expectedVersion) is not the stored one. */
export class VersionMismatch extends DomainError {
  constructor(current: number) {
    super('VERSION_MISMATCH', `The resource has changed: its current version is ${current}.`, { current });
  }
}

/** A value is malformed or not allowed. */
export class InvalidValue extends DomainError {
  constructor(message: string) {
    super('INVALID_VALUE', message);
  }
}

/** A filter names an unknown attribute or cannot be executed. */
export class InvalidFilter extends DomainError {
  constructor(message: string) {
    super('INVALID_FILTER', message);
  }
}

/** An attempt to change a read-only or immutable attribute. */
export class Mutability extends DomainError {
  constructor(message: string) {
    super('MUTABILITY', message);
  }
}

/** A request asks for more than Roster will do at once. */
export class TooMany extends DomainError {
  constructor(message: string) {
    super('TOO_MANY', message);
  }
}

/** A local edit of data an IdP manages (DESIGN §5); pass `force: true` to override. */
export class ManagedByIdp extends DomainError {
  constructor(resource: string, idp: string) {
    super('MANAGED_BY_IDP', `This ${resource} is managed by the identity provider "${idp}"; change it there, or pass force: true.`, { idp });
  }
}

/**
 * The database stopped a statement that ran past DATABASE_STATEMENT_TIMEOUT_MS: the backstop that
 * keeps one slow statement from holding a connection after its request's own deadline has passed.
 */
export class DatabaseTimeout extends DomainError {
  constructor() {
    super('QUERY_TIMEOUT', 'The database did not answer in time and the statement was stopped. Ask for smaller pages or a narrower filter, then retry.');
  }
}
