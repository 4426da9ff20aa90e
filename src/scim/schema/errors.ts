/**
 * The SCIM facade's own error family for request bodies and paths. The facade's error boundary
 * renders them as RFC 7644 §3.12 bodies: status 400 with `scimType`.
 */

/** RFC 7644 §3.12 scimType values this layer raises. */
export type ScimErrorType = 'invalidValue' | 'invalidSyntax' | 'mutability' | 'invalidPath' | 'noTarget';

/** A request body or value that breaks the schema (RFC 7644 §3.12); always a 400. */
export class ScimValidationError extends Error {
  override readonly name: string = 'ScimValidationError';
  readonly status = 400;
  constructor(
    readonly scimType: ScimErrorType,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** A PATCH operation that cannot be applied (RFC 7644 §3.5.2): invalidPath, noTarget, mutability… */
export class ScimPatchError extends ScimValidationError {
  override readonly name: string = 'ScimPatchError';
  constructor(
    scimType: ScimErrorType,
    detail: string,
    /** index of the failing operation in `Operations`, when known */
    readonly operationIndex?: number,
  ) {
    super(scimType, detail);
  }
}

/**
 * An attribute name the schemas do not know. scimType is invalidPath; the filter translator maps it
 * to invalidFilter (RFC 7644 §3.4.2.2 says unknown filter attributes are a 400 invalidFilter).
 */
export class UnknownAttributeError extends ScimValidationError {
  override readonly name: string = 'UnknownAttributeError';
  constructor(readonly path: string) {
    super('invalidPath', `Unknown attribute "${path}".`);
  }
}
