import Router from '@koa/router';
import type { Database } from '../persistence/database.js';

/** What /readyz reads of the process besides its database. */
export interface ReadinessState {
  /** stop taking new work: 503 "draining" */
  draining: () => boolean;
  /** the start-up warm-up is still under way: 503 "warming up" */
  warmingUp: () => boolean;
  /** reported with every answer */
  details?: () => Record<string, unknown>;
}

/**
 * Liveness and readiness. Ready means the primary answers, the process is not draining and its
 * start-up warm-up is done (a load balancer then never sends a restarted process the first page
 * of a long list before it can start that page near where it lies). Read replicas are reported but
 * never decide readiness (their reads fall back to the primary).
 */
export function healthRoutes(db: Database, state: ReadinessState): Router {
  const details = state.details ?? (() => ({}));
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const replicas = db.replicas ? { replicas: db.replicas.status() } : {};
    if (state.draining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining' };
      return;
    }
    try {
      await db.store().ping();
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database unavailable', database: db.kind, ...replicas, ...details() };
      return;
    }
    if (state.warmingUp()) {
      ctx.status = 503;
      ctx.set('Retry-After', '1');
      ctx.body = { status: 'warming up', database: db.kind, ...replicas, ...details() };
      return;
    }
    ctx.body = { status: 'ready', database: db.kind, ...replicas, ...details() };
  });
  return router;
}
