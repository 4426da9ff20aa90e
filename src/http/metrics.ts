import { timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app instance: process metrics plus request durations. */
export interface Metrics {
  /** records every request's duration by surface (graphql, scim, other), method and status */
  middleware: Koa.Middleware;
  /** serves GET /metrics in the Prometheus text format */
  endpoint: Koa.Middleware;
}

const surfaceOf = (path: string): string => (path.startsWith('/scim/') ? 'scim' : path === '/graphql' ? 'graphql' : 'other');

/** A running total (or, as a gauge, a level) kept elsewhere, read when metrics are scraped. */
export interface ExternalCounter {
  name: string;
  help: string;
  value(): number;
}

/** Creates a registry per app, so tests that build several apps do not collide. */
export function createMetrics(counters: ExternalCounter[] = [], token?: string, gauges: ExternalCounter[] = []): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'roster_' });
  const duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'HTTP request duration by surface, method and status',
    labelNames: ['surface', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  for (const c of counters) {
    new Counter({
      name: c.name,
      help: c.help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(c.value());
      },
    });
  }
  for (const g of gauges) {
    new Gauge({
      name: g.name,
      help: g.help,
      registers: [registry],
      collect() {
        this.set(g.value());
      },
    });
  }
  return {
    middleware: async (ctx, next) => {
      const end = duration.startTimer();
      try {
        await next();
      } finally {
        // labels stay few: the path is reduced to its surface, never ids
        end({ surface: surfaceOf(ctx.path), method: ctx.method, status: String(ctx.status) });
      }
    },
    endpoint: async (ctx, next) => {
      if (ctx.path !== '/metrics' || ctx.method !== 'GET') {
        await next();
        return;
      }
      if (token && !sameSecret(/^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1] ?? '', token)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="roster-metrics"');
        ctx.body = { error: 'GET /metrics needs METRICS_TOKEN as a bearer token.' };
        return;
      }
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    },
  };
}

/** Constant-time comparison of a presented secret with the configured one. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
