import { FilterSyntaxError } from './filter/ast.js';
import { ScimValidationError } from './schema/errors.js';

/** The Error message schema of RFC 7644 §3.12. */
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 scimType values. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** An error the facade answers with a given status and scimType. */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** The body of an error response. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_URN];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** GraphQL `extensions.code` → status and scimType: the facade knows the API's codes, not its classes. */
const CODE_STATUS: Record<string, [number, ScimType?]> = {
  UNAUTHENTICATED: [401],
  FORBIDDEN: [403],
  NOT_FOUND: [404],
  UNIQUENESS: [409, 'uniqueness'],
  VERSION_MISMATCH: [412],
  INVALID_VALUE: [400, 'invalidValue'],
  INVALID_FILTER: [400, 'invalidFilter'],
  INVALID_PATH: [400, 'invalidPath'],
  NO_TARGET: [400, 'noTarget'],
  MUTABILITY: [400, 'mutability'],
  TOO_MANY: [400, 'tooMany'],
  MANAGED_BY_IDP: [409],
  PROVISIONING_INACTIVE: [403],
  // a statement stopped by the database's timeout: nothing was written, and a retry may succeed
  QUERY_TIMEOUT: [503],
};

/** The API error code an error carries (GraphQL `extensions.code`), when it is one the facade maps. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in CODE_STATUS ? code : undefined;
}

/** Maps any error to a ScimError; undefined means unexpected (a 500 with no internals). */
export function toScimError(err: unknown): ScimError | undefined {
  if (err instanceof ScimError) return err;
  const coded = codeOf(err);
  if (coded) {
    const [status, scimType] = CODE_STATUS[coded];
    const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="roster-scim"' } : {};
    return new ScimError(status, (err as Error).message, scimType, headers);
  }
  if (err instanceof FilterSyntaxError) return new ScimError(400, `Invalid filter: ${err.message}`, 'invalidFilter');
  if (err instanceof ScimValidationError) return new ScimError(400, err.detail, err.scimType);
  const status = (err as { status?: number; statusCode?: number }).status;
  const type = (err as { type?: string }).type;
  if (status === 413 || type === 'entity.too.large') return new ScimError(413, 'The request body is larger than this server accepts.');
  if (status === 415) return new ScimError(415, 'Send the body as application/scim+json or application/json.', 'invalidSyntax');
  if (status === 400 && (type === 'entity.parse.failed' || err instanceof SyntaxError)) return new ScimError(400, 'The request body is not valid JSON.', 'invalidSyntax');
  if (status === 429) {
    const headers = (err as { headers?: Record<string, string> }).headers ?? {};
    return new ScimError(429, 'Too many requests; retry after the number of seconds in Retry-After.', undefined, headers);
  }
  if (status && status >= 400 && status < 500) return new ScimError(status, (err as Error).message || 'Bad request.');
  return undefined;
}

/** Renders an error body. */
export function errorBody(e: ScimError): ScimErrorBody {
  return { schemas: [ERROR_URN], status: String(e.status), ...(e.scimType ? { scimType: e.scimType } : {}), detail: e.detail };
}
