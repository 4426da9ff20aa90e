import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal';
import type { Gateway } from './gateway';

/** What the SCIM facade needs from the app. */
export interface ScimOptions {
  gateway: Gateway;
  publicUrl: string;
  bodyLimit: number;
  limiter: Koa.Middleware;
  authenticate(ctx: Koa.Context): Promise<{ em: EntityManager; principal: Principal }>;
  logger: Logger;
}

/** The SCIM 2.0 facade at /scim/v2. */
export function scimRouter(_opts: ScimOptions): Router {
  return new Router({ prefix: '/scim/v2' });
}
