import Router from '@koa/router';
import type { Database } from '../persistence/database.js';

/**
 * Liveness and readiness. Ready means the primary answers and the process is not draining; read
 * replicas are reported but never decide readiness (their reads fall back to the primary).
 */
export function healthRoutes(db: Database, isDraining: () => boolean, details: () => Record<string, unknown> = () => ({})): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const replicas = db.replicas ? { replicas: db.replicas.status() } : {};
    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining' };
      return;
    }
    try {
      await db.store().ping();
      ctx.body = { status: 'ready', database: db.kind, ...replicas, ...details() };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database unavailable', database: db.kind, ...replicas, ...details() };
    }
  });
  return router;
}
