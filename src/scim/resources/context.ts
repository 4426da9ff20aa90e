import type Koa from 'koa';
import type { CallContext, Gateway } from '../gateway.js';
import type { Operations } from '../operations.js';

/** What a SCIM route handler works with. */
export interface ScimDeps {
  gateway: Gateway;
  ops: Operations;
  /** absolute base of this facade, e.g. https://roster.example.com/scim/v2 */
  baseUrl: string;
}

/** The caller of the current request, set by the auth middleware. */
export const callOf = (ctx: Koa.Context): CallContext => ctx.state.scimCall as CallContext;
