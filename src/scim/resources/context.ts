import type Koa from 'koa';
import type { Logger } from 'pino';
import type { CallContext, Gateway } from '../gateway.js';
import type { Operations } from '../operations.js';
import { expectedVersion, jsonBody } from '../http.js';
import { applyPatch, type PatchResult } from '../patch/index.js';
import { validateResource } from '../schema/index.js';
import type { ResourceTypeName, ScimResource } from '../schema/types.js';

/** What a SCIM route handler works with. */
export interface ScimDeps {
  gateway: Gateway;
  ops: Operations;
  /** absolute base of this facade, e.g. https://roster.example.com/scim/v2 */
  baseUrl: string;
  logger: Logger;
}

/** The caller of the current request, set by the auth middleware. */
export const callOf = (ctx: Koa.Context): CallContext => ctx.state.scimCall as CallContext;

/**
 * Logs (at debug) the unknown attributes a write skipped: IdPs send names a server may not know
 * (RFC 7644 §3.3 lets it ignore them), and this is where an operator finds out which.
 */
export function logIgnored(deps: ScimDeps, ctx: Koa.Context, resourceType: 'User' | 'Group', ignored: readonly string[]): void {
  if (ignored.length === 0) return;
  deps.logger.debug({ reqId: ctx.state.requestId, method: ctx.method, resourceType, ignored: [...new Set(ignored)] }, 'SCIM write: unknown attributes ignored');
}

/**
 * Ignored attribute names once each, for the audit event of the write (null when none). A name is
 * whatever a client sent: control characters are written as \uXXXX so that the trail stays text.
 */
export function unique(ignored: readonly string[]): string[] | null {
  if (!ignored.length) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
  return [...new Set(ignored.map((n) => n.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)))];
}

/**
 * Work done on a resource that was not read first (a PATCH applied to a blank, a PUT body
 * validated alone). When it fails, `load` runs first, so that a missing resource is a 404 before a
 * bad request is a 400, as when the resource is read first.
 */
export async function withoutRead<T>(work: () => T, load: () => Promise<unknown>): Promise<T> {
  try {
    return work();
  } catch (err) {
    await load();
    throw err;
  }
}

/** A PATCH applied to a resource that was not read first (`blank`: its schemas and id); see withoutRead. */
export function applyPatchUnread(resourceType: ResourceTypeName, blank: ScimResource, body: unknown, load: () => Promise<unknown>): Promise<PatchResult> {
  return withoutRead(() => applyPatch(resourceType, blank, body), load);
}

/**
 * A PUT's body, validated, and the version it is pinned to. Only If-Match pins the version: a PUT
 * replaces the whole resource, so without one the last writer wins. The stored resource is read
 * first only when the PUT is pinned or the schemas have an immutable attribute to check it
 * against (`readsStored`); otherwise the write itself finds what changed, and a missing resource
 * is still a 404 before a bad body is a 400 (withoutRead).
 */
export async function replacement<R extends { version: number }>(
  ctx: Koa.Context,
  resourceType: ResourceTypeName,
  readsStored: boolean,
  load: () => Promise<R>,
  toScim: (stored: R) => ScimResource,
  ignored: string[],
): Promise<{ resource: ScimResource; version: number | null }> {
  if (ctx.get('if-match') === '' && !readsStored) {
    return { resource: await withoutRead(() => validateResource(resourceType, jsonBody(ctx), 'replace', undefined, ignored), load), version: null };
  }
  const current = await load();
  return { resource: validateResource(resourceType, jsonBody(ctx), 'replace', toScim(current), ignored), version: expectedVersion(ctx, current.version) ?? null };
}
