import type Koa from 'koa';
import { ScimError } from './errors.js';

/** The SCIM media type (RFC 7644 §3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The ListResponse message URN. */
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Answers with a SCIM body. */
export function send(ctx: Koa.Context, status: number, body: unknown, etag?: string): void {
  ctx.status = status;
  if (etag) ctx.set('ETag', etag);
  if (status === 204 || status === 304) return;
  ctx.type = SCIM_CONTENT_TYPE;
  ctx.body = body;
}

/** The version number of a weak or strong ETag such as W/"3"; undefined for anything else. */
export function versionOf(tag: string): number | undefined {
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(tag.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * If-Match (RFC 7644 §3.14, RFC 9110 §13.1.1): the expected version, `*` (any), or a 412 when
 * none of the tags can match the current version.
 */
export function expectedVersion(ctx: Koa.Context, current?: number): number | undefined {
  const header = ctx.get('if-match');
  if (!header || header.trim() === '*') return undefined;
  const versions = header.split(',').map(versionOf);
  if (current !== undefined) {
    if (!versions.includes(current)) throw new ScimError(412, 'The resource has changed since the version in If-Match.');
    return current;
  }
  const v = versions.find((x) => x !== undefined);
  if (v === undefined) throw new ScimError(412, 'If-Match names no version of this resource.');
  return v;
}

/** True when If-None-Match names the current version (GET answers 304). */
export function notModified(ctx: Koa.Context, etag: string): boolean {
  const header = ctx.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const current = versionOf(etag);
  return header.split(',').some((t) => versionOf(t) === current);
}

/** The JSON body of a write request, or a 400 invalidSyntax. */
export function jsonBody(ctx: Koa.Context): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) {
    const type = ctx.get('content-type');
    if (type && !/json/i.test(type)) throw new ScimError(415, 'Send the body as application/scim+json or application/json.', 'invalidSyntax');
    throw new ScimError(400, 'The request needs a JSON object body.', 'invalidSyntax');
  }
  return body as Record<string, unknown>;
}
