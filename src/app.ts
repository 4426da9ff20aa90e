import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { Authenticator, bearer } from './auth/authenticate.js';
import type { Principal } from './auth/principal.js';
import type { Config } from './config/config.js';
import { DomainError } from './domain/errors/domain-errors.js';
import { createGraphqlMiddleware } from './graphql/apollo-koa.js';
import { createContext, GraphContext } from './graphql/context.js';
import { graphiqlMiddleware } from './graphql/graphiql.js';
import { buildRosterSchema } from './graphql/schema.js';
import { accessLog } from './http/access-log.js';
import { healthRoutes } from './http/health.js';
import { createMetrics } from './http/metrics.js';
import { rateLimit } from './http/rate-limit.js';
import { requestId } from './http/request-id.js';
import type { Database } from './persistence/database.js';
import type { Store } from './persistence/store.js';
import { CREDENTIALS_CHANNEL, listen } from './persistence/notifications.js';
import { scimFacade } from './scim/router.js';
import { createGateway } from './scim/gateway.js';

/** What the app needs from outside. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
}

/** The Koa app plus what shutdown needs. */
export interface RosterApp {
  app: Koa;
  /** stop taking new work: /readyz answers 503 */
  drain(): void;
  close(): Promise<void>;
}

/** Builds Roster's Koa app: /graphql, /scim/v2, health. No listen: tests use `app.callback()`. */
export async function createApp({ config, db, logger }: AppDeps): Promise<RosterApp> {
  // Only behind a proxy may X-Forwarded-For name the client: otherwise anyone could pick the address the rate limit counts.
  const app = new Koa({ proxy: config.trustProxy });
  const schema = buildRosterSchema();
  const authenticator = new Authenticator();
  const credentialFeed = await listen(db.listenSource, CREDENTIALS_CHANNEL, () => authenticator.invalidate());
  authenticator.attach(credentialFeed);
  const scimBaseUrl = `${config.publicUrl}/scim/v2`;
  let draining = false;

  /** Resolves the caller; an invalid credential becomes a null principal plus the reason. */
  const principalOf = async (store: Store, header: string | undefined): Promise<{ principal: Principal | null; authError?: DomainError }> => {
    const secret = bearer(header);
    if (!secret) return { principal: null };
    try {
      return { principal: await authenticator.authenticate(store, secret) };
    } catch (err) {
      if (err instanceof DomainError) return { principal: null, authError: err };
      throw err;
    }
  };

  const graphContext = async (ctx: Koa.Context): Promise<GraphContext> => {
    const store = db.store();
    const { principal, authError } = await principalOf(store, ctx.get('authorization'));
    const gctx = createContext(store, principal, ctx.state.requestId, scimBaseUrl);
    gctx.authError = authError;
    return gctx;
  };

  const graphql = await createGraphqlMiddleware(schema, graphContext, (_c, err) => logger.error({ err }, 'unexpected error in a GraphQL resolver'));

  app.use(requestId);
  app.use(accessLog(logger));
  const metrics = createMetrics();
  app.use(metrics.middleware);
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } catch (err) {
      // The last boundary: protocol routers answer their own errors; this catches the rest.
      const status = (err as { status?: number }).status;
      if (status && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: (err as Error).message };
        const headers = (err as { headers?: Record<string, string> }).headers;
        if (headers) ctx.set(headers);
        return;
      }
      logger.error({ err, reqId: ctx.state.requestId }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: 'Internal error', requestId: ctx.state.requestId };
    }
  });
  const health = healthRoutes(db, () => draining);
  app.use(health.routes());
  app.use(metrics.endpoint);

  const limiter = rateLimit(config.rateLimitPerMinute);
  const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: config.bodyLimit, encoding: 'utf-8' });

  const gql = new Router();
  const graphiql = graphiqlMiddleware({ endpoint: '/graphql', assetsPrefix: '/graphiql' });
  gql.get('/graphiql/:asset', graphiql);
  gql.all('/graphql', graphiql, limiter, parseJson, graphql.middleware);
  app.use(gql.routes());

  const gateway = createGateway<Store>(schema, {
    context: (store, principal, reqId) => createContext(store, principal, reqId, scimBaseUrl),
  });
  const scim = scimFacade({
    gateway,
    publicUrl: config.publicUrl,
    bodyLimit: config.bodyLimit,
    limiter,
    authenticate: async (ctx) => {
      const store = db.store();
      return { session: store, principal: await authenticator.authenticate(store, bearer(ctx.get('authorization'))) };
    },
    logger,
  });
  app.use(scim);

  return {
    app,
    drain: () => {
      draining = true;
    },
    close: async () => {
      await credentialFeed.close();
      await graphql.stop();
    },
  };
}
