import type Koa from 'koa';
import type { Logger } from 'pino';

/** One log line per request: method, path, status, duration. Never headers (they hold tokens). */
export function accessLog(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const line = { reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
      if (ctx.status >= 500) logger.error(line, 'request failed');
      else logger.debug(line, 'request');
    }
  };
}
