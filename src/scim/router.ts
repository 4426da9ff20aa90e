import Router from '@koa/router';
import type Koa from 'koa';
import compose from 'koa-compose';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { discoveryRoutes } from './discovery/discovery.js';
import { errorBody, ScimError, toScimError } from './errors.js';
import type { Gateway } from './gateway.js';
import { send } from './http.js';
import { prepareOperations } from './operations.js';
import { jsonBodyParser, utf8Query } from './request.js';
import { groupRoutes } from './resources/groups.js';
import { searchRoutes } from './resources/search.js';
import { userRoutes } from './resources/users.js';
import { loadRegistry } from './schema/index.js';

/** Where the facade is mounted. */
export const SCIM_PREFIX = '/scim/v2';

/** What the SCIM facade needs from the app. */
export interface ScimOptions {
  gateway: Gateway;
  publicUrl: string;
  bodyLimit: number;
  authenticate(ctx: Koa.Context): Promise<{ session: unknown; principal: Principal }>;
  logger: Logger;
  /** runs around every SCIM request, outside the error boundary (it sees the final status): the request log */
  around?: Koa.Middleware;
}

/**
 * The SCIM 2.0 facade: error boundary ▸ auth (with the rate limits) ▸ body ▸ routes. It translates
 * protocol to GraphQL and back; every rule lives behind GraphQL.
 */
export function scimFacade(opts: ScimOptions): Koa.Middleware {
  loadRegistry();
  const baseUrl = `${opts.publicUrl}${SCIM_PREFIX}`;
  const deps = { gateway: opts.gateway, ops: prepareOperations(opts.gateway), baseUrl, logger: opts.logger };
  const router = new Router({ prefix: SCIM_PREFIX });
  for (const r of [discoveryRoutes(baseUrl), userRoutes(deps), groupRoutes(deps), searchRoutes(deps)]) router.use(r.routes());

  // The one place where errors become RFC 7644 §3.12 bodies.
  const boundary: Koa.Middleware = async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && !ctx.body) throw new ScimError(404, `No SCIM endpoint at ${ctx.path}.`);
      if (ctx.status === 405 && !ctx.body) throw new ScimError(405, `${ctx.method} is not supported on ${ctx.path}.`, undefined, { Allow: String(ctx.response.get('Allow')) });
    } catch (err) {
      const e = toScimError(err);
      if (!e) {
        opts.logger.error({ err, reqId: ctx.state.requestId }, 'unexpected error in the SCIM facade');
        const internal = new ScimError(500, `Internal error (request id ${ctx.state.requestId}).`);
        return send(ctx, 500, errorBody(internal));
      }
      for (const [k, v] of Object.entries(e.headers)) if (v) ctx.set(k, v);
      send(ctx, e.status, errorBody(e));
    }
  };
  const auth: Koa.Middleware = async (ctx, next) => {
    const { session, principal } = await opts.authenticate(ctx);
    ctx.state.scimCall = { session, principal, requestId: ctx.state.requestId };
    await next();
  };
  // UTF-8 only, refused rather than decoded with U+FFFD (see request.ts).
  const parseJson = jsonBodyParser(opts.bodyLimit);
  const chain = compose([...(opts.around ? [opts.around] : []), boundary, auth, utf8Query, parseJson, router.routes(), router.allowedMethods()] as Koa.Middleware[]);
  return (ctx, next) => (ctx.path === SCIM_PREFIX || ctx.path.startsWith(`${SCIM_PREFIX}/`) ? chain(ctx, next) : next());
}
