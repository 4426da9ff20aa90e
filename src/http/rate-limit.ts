import { createHash } from 'node:crypto';
import type Koa from 'koa';
import ratelimit from 'koa-ratelimit';

/**
 * Requests per minute per credential (or per address without one), answered with 429 and
 * Retry-After by koa-ratelimit. In memory: each Roster process counts its own share.
 */
export function rateLimit(perMinute: number): Koa.Middleware {
  if (perMinute <= 0) return (_ctx, next) => next();
  return ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: 60_000,
    max: perMinute,
    throw: true,
    errorMessage: 'Too many requests; retry after the number of seconds in Retry-After.',
    id: (ctx) => {
      const auth = ctx.get('authorization');
      // keyed by a hash so that no token sits in the limiter's memory
      return auth ? createHash('sha256').update(auth).digest('base64url') : ctx.ip;
    },
    disableHeader: false,
  });
}
