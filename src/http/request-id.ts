import { randomUUID } from 'node:crypto';
import type Koa from 'koa';

declare module 'koa' {
  interface DefaultState {
    /** Set by requestId, the first middleware, for every request. */
    requestId: string;
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives each request an id (the caller's X-Request-Id when sane) and echoes it back. */
export const requestId: Koa.Middleware = async (ctx, next) => {
  const given = ctx.get('x-request-id');
  ctx.state.requestId = SAFE_ID.test(given) ? given : randomUUID();
  ctx.set('X-Request-Id', ctx.state.requestId);
  await next();
};
