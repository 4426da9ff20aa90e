import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { requestAuthenticator, type RequestAuth } from './auth/request-auth.js';
import type { Config } from './config/config.js';
import { Unauthenticated } from './domain/errors/domain-errors.js';
import { createGraphqlMiddleware } from './graphql/apollo-koa.js';
import { createContext, GraphContext } from './graphql/context.js';
import { graphiqlMiddleware } from './graphql/graphiql.js';
import { buildRosterSchema } from './graphql/schema.js';
import { accessLog } from './http/access-log.js';
import { healthRoutes } from './http/health.js';
import { createMetrics } from './http/metrics.js';
import { callerLimits, type LimitStore } from './http/rate-limit.js';
import { requestId } from './http/request-id.js';
import type { Database } from './persistence/database.js';
import type { Store } from './persistence/store.js';
import { CREDENTIALS_CHANNEL, listen } from './persistence/notifications.js';
import { jsonBodyParser } from './scim/request.js';
import { scimFacade } from './scim/router.js';
import { SESSION_COOKIE, ssoRoutes } from './http/sso-routes.js';
import { consoleSessionRoutes } from './http/console-session-routes.js';
import { consoleRoutes } from './http/console-routes.js';
import { createGateway } from './scim/gateway.js';
import { ScimRequestLog, scimRequestRecorder } from './http/scim-request-log.js';
import { positionStats } from './persistence/list-positions.js';
import { readBatching, readBatchStats } from './persistence/read-batches.js';
import { groupWriteStats } from './domain/groups/group-service.js';

/**
 * Longest a start-up warm-up holds readiness back. Reading the anchors of a list of a million rows
 * takes well under a second on PostgreSQL; past this something is wrong with the database, and
 * requests are better served the slow way than not at all.
 */
const WARM_UP_CAP_MS = 30_000;

/** Where the rate-limit counters of this configuration live. */
function limitStore(config: Config): LimitStore {
  if (config.rateLimitStore === 'redis') return { kind: 'redis', url: config.redisUrl! };
  if (config.rateLimitStore === 'postgres') return { kind: 'postgres', url: config.databaseUrl! };
  return { kind: 'memory' };
}

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
  /**
   * Work the process does once at start (reading list anchors): /readyz answers 503 "warming up"
   * until it settles, or until `capMs` have passed (a slow warm-up delays readiness, never blocks it).
   */
  warmUp(work: Promise<unknown>, capMs?: number): void;
  close(): Promise<void>;
}

/** Builds Roster's Koa app: /graphql, /scim/v2, health. No listen: tests use `app.callback()`. */
export async function createApp({ config, db, logger }: AppDeps): Promise<RosterApp> {
  readBatching.max = config.readBatchMax;
  // Only behind a proxy may X-Forwarded-For name the client: otherwise anyone could pick the address the rate limit counts.
  // maxIpsCount 1: the address the nearest (trusted) proxy saw, never one a client wrote into the header.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: config.trustProxy ? 1 : 0 });
  const schema = buildRosterSchema();
  const authenticator = new Authenticator();
  const credentialFeed = await listen(db.listenSource, CREDENTIALS_CHANNEL, () => authenticator.invalidate(), { name: `roster-invalidation-${process.pid}` });
  const stopHearingCommits = db.onCommitNotify((channel) => channel === CREDENTIALS_CHANNEL && authenticator.invalidate());
  authenticator.attach(credentialFeed);
  const scimBaseUrl = `${config.publicUrl}/scim/v2`;
  let draining = false;

  const limits = callerLimits({
    perCredentialPerMinute: config.rateLimitPerMinute,
    failuresPerAddressPerMinute: config.authFailuresPerMinute,
    store: limitStore(config),
  });
  if (!(await limits.ready())) logger.warn({ store: config.rateLimitStore }, 'the shared rate-limit store does not answer: this process counts its own requests until it does');
  const authenticate = requestAuthenticator(db, authenticator, limits, config.sessionIdleMs);

  /** Resolves the caller before the body is read (see requestAuthenticator); GraphQL's role checks decide what an anonymous caller gets. */
  const authenticateGraphql: Koa.Middleware = async (ctx, next) => {
    ctx.state.auth = await authenticate(ctx.get('authorization'), ctx.ip, ctx.cookies.get(SESSION_COOKIE));
    await next();
  };

  const graphContext = async (ctx: Koa.Context): Promise<GraphContext> => {
    const auth = ctx.state.auth as RequestAuth;
    // Lists and searches of an authenticated caller may come from a replica; the caller itself was checked on the primary.
    const gctx = createContext(auth.store, auth.principal, ctx.state.requestId, scimBaseUrl, db.replicas && auth.principal ? db.readStore() : auth.store);
    gctx.authError = auth.authError;
    return gctx;
  };

  const graphql = await createGraphqlMiddleware(schema, graphContext, (_c, err) => logger.error({ err }, 'unexpected error in a GraphQL resolver'), {
    caller: (ctx) => ctx.state.auth as RequestAuth | undefined,
    timeoutMs: config.graphqlTimeoutMs,
    maxQueryBytes: config.graphqlMaxQueryBytes,
    anonymousIntrospection: config.graphqlAnonymousIntrospection,
    compileAfter: config.graphqlCompileAfter,
    logger,
  });

  app.use(requestId);
  app.use(accessLog(logger));
  // While draining, the connection is closed after each answer and new requests are refused: a
  // request accepted now could be cut off half-way, its write saved but never acknowledged.
  app.use(async (ctx, next) => {
    if (draining && ctx.path !== '/healthz' && ctx.path !== '/readyz') {
      ctx.set('Connection', 'close');
      ctx.set('Retry-After', '5');
      ctx.status = 503;
      ctx.body = { error: 'Roster is shutting down; retry on another instance or in a few seconds.' };
      return;
    }
    await next();
    if (draining) ctx.set('Connection', 'close');
  });
  const metrics = createMetrics(
    [
      { name: 'roster_credential_lookups_total', help: 'Credential lookups that reached the database', value: () => authenticator.lookups },
      { name: 'roster_replica_reads_total', help: 'List reads served by a read replica', value: () => db.replicas?.reads ?? 0 },
      { name: 'roster_replica_fallbacks_total', help: 'List reads meant for a replica that the primary served (no replica healthy, or one failed mid-read)', value: () => db.replicas?.fallbacks ?? 0 },
      {
        name: 'roster_rate_limit_address_reads_total',
        help: "Checks of a failing address that read the shared rate-limit store (the rest used this process's view of the last second)",
        value: () => limits.addressReads,
      },
      {
        name: 'roster_rate_limit_credential_leases_total',
        help: "Counts of a credential's requests taken from the shared rate-limit store in advance, up to 64 requests each",
        value: () => limits.credentialLeases,
      },
      { name: 'roster_rate_limit_store_failures_total', help: 'Rate-limit checks counted in this process alone because the shared store failed', value: () => limits.storeFailures },
      { name: 'roster_graphql_compiled_executions_total', help: 'GraphQL operations over HTTP executed compiled (graphql-jit)', value: () => graphql.executor.compiledRuns },
      { name: 'roster_graphql_compilations_total', help: 'GraphQL documents compiled after GRAPHQL_COMPILE_AFTER uses', value: () => graphql.executor.compilations },
      {
        name: 'roster_list_positions_used_total',
        help: 'Unfiltered list pages (the import walk) that started from a remembered position instead of walking the index from its start',
        value: () => positionStats.used,
      },
      { name: 'roster_list_positions_refused_total', help: 'Remembered list positions found void (rows came or went before them) and walked again', value: () => positionStats.refused },
      { name: 'roster_list_anchors_used_total', help: 'Unfiltered list pages that started from an anchor (a jump far from any page this process read before)', value: () => positionStats.anchorsUsed },
      {
        name: 'roster_list_anchor_builds_total',
        help: 'Reads of the anchors of a long list (a position every few thousand rows), at start and after changes voided them',
        value: () => positionStats.anchorBuilds,
      },
      { name: 'roster_read_batch_reads_total', help: 'Reads of one user or group by a unique key (id, userName, displayName) that went through a shared statement', value: () => readBatchStats.reads },
      { name: 'roster_read_batch_statements_total', help: 'Statements that answered those reads: several reads arriving together share one', value: () => readBatchStats.statements },
      {
        name: 'roster_group_writes_queued_total',
        help: 'Group writes by their owner that found the group written by another and ran again behind its row lock',
        value: () => groupWriteStats.queued,
      },
      {
        name: 'roster_group_writes_locking_path_total',
        help: 'Group writes that took the locking transaction (another owner, adoption, refusals, what one statement cannot do)',
        value: () => groupWriteStats.lockingPath,
      },
      { name: 'roster_invalidation_reconnects_total', help: 'Times the LISTEN connection for cache invalidation was made again', value: () => credentialFeed.reconnects },
    ],
    config.metricsToken,
    [
      { name: 'roster_replicas_healthy', help: 'Read replicas serving reads now', value: () => db.replicas?.status().filter((r) => r.healthy).length ?? 0 },
      {
        name: 'roster_invalidation_feed_live',
        help: '1 while the LISTEN feed for cache invalidation is connected (the principal cache is used only then)',
        value: () => (credentialFeed.live ? 1 : 0),
      },
    ],
  );
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
  const gateway = createGateway<Store>(schema, {
    context: (store, principal, reqId) => createContext(store, principal, reqId, scimBaseUrl),
  });
  const scimRequests = new ScimRequestLog(db, logger);
  // SCIM is most of the traffic (an IdP's push): mounted before the health, metrics, GraphQL, SSO
  // and console routers, none of which serves /scim/v2, so its requests do not pass them first.
  const scim = scimFacade({
    gateway,
    around: scimRequestRecorder(scimRequests),
    publicUrl: config.publicUrl,
    bodyLimit: config.bodyLimit,
    authenticate: async (ctx) => {
      // The console's session may read (never write) through SCIM: its raw JSON view shows a resource exactly as an IdP reads it.
      const readOnly = ctx.method === 'GET' || ctx.method === 'HEAD';
      const auth = await authenticate(ctx.get('authorization'), ctx.ip, readOnly ? ctx.cookies.get(SESSION_COOKIE) : undefined);
      if (!auth.principal) throw auth.authError ?? new Unauthenticated('Send the SCIM token as "Authorization: Bearer <token>".');
      ctx.state.scimPrincipal = auth.principal;
      return { session: auth.store, principal: auth.principal };
    },
    logger,
  });
  app.use(scim);

  let warming = 0;
  const health = healthRoutes(db, {
    draining: () => draining,
    warmingUp: () => warming > 0,
    details: () => ({ rateLimits: limits.shared ? config.rateLimitStore : 'memory (this process only)', invalidationFeed: credentialFeed.live ? 'live' : 'reconnecting' }),
  });
  app.use(health.routes());
  app.use(metrics.endpoint);

  // The SCIM facade's strict reader: UTF-8 only (other charsets 415, bad bytes 400), never decoded with U+FFFD.
  const parseJson = jsonBodyParser(config.bodyLimit);

  const gql = new Router();
  const graphiql = graphiqlMiddleware({ endpoint: '/graphql', assetsPrefix: '/graphiql', anonymousIntrospection: config.graphqlAnonymousIntrospection });
  gql.get('/graphiql/:asset', graphiql);
  // The credential is checked before the body is read: an anonymous caller's document is never parsed.
  // A POST that is not JSON is refused here: Apollo's Koa integration expects a parsed body.
  const requireJson: Koa.Middleware = async (ctx, next) => {
    if (ctx.method === 'POST' && (ctx.request as { body?: unknown }).body === undefined) {
      ctx.status = 415;
      ctx.body = { errors: [{ message: 'Send GraphQL requests as application/json (UTF-8).', extensions: { code: 'BAD_REQUEST' } }] };
      return;
    }
    await next();
  };
  gql.all('/graphql', graphiql, authenticateGraphql, graphql.admit, parseJson, requireJson, graphql.middleware);
  app.use(gql.routes());

  const sso = ssoRoutes({
    db,
    settings: { publicUrl: config.publicUrl, clockSkewMs: config.samlClockSkewMs, sessionIdleMs: config.sessionIdleMs, sessionMaxMs: config.sessionMaxMs },
    idleMs: config.sessionIdleMs,
    logger,
  });
  app.use(sso.routes());
  app.use(consoleRoutes());
  app.use(consoleSessionRoutes({ db, limits, https: config.publicUrl.startsWith('https:'), sessionIdleMs: config.sessionIdleMs, sessionMaxMs: config.sessionMaxMs }).routes());

  return {
    app,
    drain: () => {
      draining = true;
    },
    warmUp: (work, capMs = WARM_UP_CAP_MS) => {
      warming++;
      let cap: NodeJS.Timeout | undefined;
      const done = () => {
        if (!cap) return;
        clearTimeout(cap);
        cap = undefined;
        warming--;
      };
      cap = setTimeout(() => {
        logger.warn({ capMs }, 'the start-up warm-up is still running; ready anyway');
        done();
      }, capMs);
      cap.unref();
      work.then(done, done);
    },
    close: async () => {
      stopHearingCommits();
      await credentialFeed.close();
      await limits.close();
      await graphql.stop();
      await scimRequests.close();
    },
  };
}
