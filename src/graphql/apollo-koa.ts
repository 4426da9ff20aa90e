import { Readable } from 'node:stream';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { DocumentNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, OperationTypeNode, parse, SelectionSetNode } from 'graphql';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { compiledGateway, CompiledExecutor } from './compiled-executor.js';
import { GraphContext, withDeadline } from './context.js';
import { formatError } from './format-error.js';
import { badInput, checkInputs } from './input-checks.js';
import { checkShape, CostChecker, depthLimitRule, MAX_TOKENS } from './limits.js';

/** Who the request's credential names, resolved before its body is read. */
export interface Caller {
  principal: Principal | null;
  /** why a presented credential was refused */
  authError?: Error;
}

/** What /graphql enforces on every request. */
export interface GraphqlOptions {
  /** the caller of a request, from the authentication that ran before this middleware */
  caller: (ctx: Koa.Context) => Caller | undefined;
  /** how long a request may run; past it, reads stop and the answer is QUERY_TIMEOUT */
  timeoutMs: number;
  /** largest `query` text, in bytes */
  maxQueryBytes: number;
  /** answer introspection-only operations without a credential */
  anonymousIntrospection: boolean;
  /** uses of one document after which it runs compiled (graphql-jit); 0: never */
  compileAfter: number;
  /** Apollo's own log lines go here (pino, so that they are redacted like the rest) */
  logger: Logger;
}

/** The middleware pair and shutdown. `admit` goes before the body parser, `middleware` after it. */
export interface GraphqlMiddleware {
  /** refuses a request without a valid credential with 401 before its body is read or parsed */
  admit: Koa.Middleware;
  /** checks the document's size and shape, then runs Apollo */
  middleware: Koa.Middleware;
  /** how operations were executed (compiled or interpreted) */
  executor: CompiledExecutor;
  stop: () => Promise<void>;
}

const NO_CREDENTIAL = 'A valid credential is required: send an API key as "Authorization: Bearer <key>".';

/** An answer in GraphQL's error shape, for refusals made before Apollo runs. */
function refuse(ctx: Koa.Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = { errors: [{ message, extensions: { code } }] };
  if (status === 401) ctx.set('WWW-Authenticate', 'Bearer');
}

/** Whether an operation selects only __schema, __type and __typename at its root (fragments followed). */
function isIntrospectionOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const seen = new Set<string>();
  const only = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return only(s.selectionSet);
      if (seen.has(s.name.value)) return true;
      seen.add(s.name.value);
      return only(fragments.get(s.name.value));
    });
  return only(operation.selectionSet);
}

/**
 * Documents whose shape passed checkShape, by their text: a repeated query is not parsed twice.
 * Keyed by the text itself (a Map hashes it natively; a SHA-256 per request showed in the
 * profile), so the texts kept are bounded in total characters as well as in number.
 */
class ShapeCache {
  private readonly passed = new Map<string, true>();
  private chars = 0;
  constructor(
    private readonly maxEntries = 2000,
    private readonly maxChars = 4 * 1024 * 1024,
  ) {}
  has(query: string): boolean {
    return this.passed.has(query);
  }
  add(query: string): void {
    if (query.length > this.maxChars) return;
    while (this.passed.size > 0 && (this.passed.size >= this.maxEntries || this.chars + query.length > this.maxChars)) {
      const oldest = this.passed.keys().next().value!;
      this.passed.delete(oldest);
      this.chars -= oldest.length;
    }
    this.passed.set(query, true);
    this.chars += query.length;
  }
}

/**
 * Runs one request through Apollo: what the Koa integration (@as-integrations/koa) does, except
 * that the query string is Koa's own: the integration parses every URL again with node's legacy
 * url.parse, whose deprecation check walks the stack on each call (a tenth of a GraphQL lookup's
 * own CPU in the bench profile).
 */
function koaApollo(server: ApolloServer<GraphContext>, context: (ctx: Koa.Context) => Promise<GraphContext>): Koa.Middleware {
  return async (ctx) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(ctx.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const {
      body,
      headers: answerHeaders,
      status,
    } = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: ctx.method.toUpperCase(), headers, search: ctx.search, body: (ctx.request as { body?: unknown }).body },
      context: () => context(ctx),
    });
    // Headers before the body: with its content type already set, Koa does not guess one from the text.
    if (status !== undefined) ctx.status = status;
    for (const [key, value] of answerHeaders) ctx.set(key, value);
    if (body.kind === 'complete') ctx.body = body.string;
    // Incremental delivery (@defer) streams its parts as they come.
    else ctx.body = Readable.from(body.asyncIterator);
    // Answered: the routers mounted after this one have nothing to do with /graphql, so the request
    // does not walk them (each would match its routes against the path for nothing).
  };
}

/** Apollo Server on Koa (the body is parsed before it). */
export async function createGraphqlMiddleware(
  schema: GraphQLSchema,
  context: (ctx: Koa.Context) => Promise<GraphContext>,
  onInternal: (ctx: GraphContext | undefined, err: unknown) => void,
  opts: GraphqlOptions,
): Promise<GraphqlMiddleware> {
  const log = opts.logger.child({ component: 'apollo' });
  const executor = new CompiledExecutor(schema, opts.compileAfter);
  const costs = new CostChecker(schema);
  const server = new ApolloServer<GraphContext>({
    // The schema comes in through Apollo's gateway interface only so that a repeated document runs
    // compiled (graphql-jit), as the SCIM facade's documents do: see CompiledExecutor.
    gateway: compiledGateway(schema, executor),
    introspection: true,
    validationRules: [depthLimitRule],
    parseOptions: { maxTokens: MAX_TOKENS },
    includeStacktraceInErrorResponses: false,
    logger: { debug: (m: string) => log.debug(m), info: (m: string) => log.info(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
    // main.ts owns SIGTERM/SIGINT (drain, then stop). Apollo's own handler would race it: a second
    // stop() during Apollo's awaits a barrier that Apollo 5 never resolves, so shutdown hung forever.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, (err) => onInternal(undefined, err)),
    plugins: [
      // Apollo's landing page loads from a CDN; Roster serves its own GraphiQL instead.
      ApolloServerPluginLandingPageDisabled(),
      // Roster sets no cache hints; Apollo's default cache-control plugin would still wrap every
      // field resolver of the schema (which the SCIM facade shares) to collect them.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ request, document, operation, contextValue, queryHash }) {
              // No operation (a wrong operationName): execution reports it and runs nothing.
              if (!operation) return;
              if (!contextValue.principal && (operation.operation !== OperationTypeNode.QUERY || !isIntrospectionOnly(document, operation))) {
                throw new GraphQLError(NO_CREDENTIAL, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
              }
              if (operation.operation === OperationTypeNode.SUBSCRIPTION) throw badInput('Roster has no subscriptions.', 'BAD_REQUEST');
              checkInputs(document, request.variables);
              costs.check(document, operation, request.variables, request.operationName, queryHash);
            },
            async willSendResponse({ response }) {
              // Past the deadline every pending field fails alike: report it once, not once per field.
              if (response.body.kind !== 'single') return;
              const result = response.body.singleResult;
              const timeout = result.errors?.find((e) => e.extensions?.code === 'QUERY_TIMEOUT');
              if (!timeout) return;
              // What did finish stays (a mutation before the deadline has committed: the client must see it).
              response.body.singleResult = { ...result, errors: [{ message: timeout.message, extensions: { code: 'QUERY_TIMEOUT' } }] };
              if (!result.data || Object.values(result.data).every((v) => v === null)) response.http.status = 503;
            },
          };
        },
      },
    ],
  });
  await server.start();
  const apollo = koaApollo(server, async (ctx) => withDeadline(await context(ctx), opts.timeoutMs));

  const admit: Koa.Middleware = async (ctx, next) => {
    const caller = opts.caller(ctx);
    // A credential that was presented and refused is an error even where anonymous calls are allowed;
    // an anonymous call goes on only to introspection, which the plugin above enforces.
    if (!caller?.principal && (caller?.authError || !opts.anonymousIntrospection)) return refuse(ctx, 401, 'UNAUTHENTICATED', caller?.authError?.message ?? NO_CREDENTIAL);
    await next();
  };

  const shapes = new ShapeCache();
  const middleware: Koa.Middleware = async (ctx, next) => {
    const body: unknown = (ctx.request as { body?: unknown }).body;
    const query: unknown = ctx.method === 'GET' || ctx.method === 'HEAD' ? ctx.query.query : body && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined;
    if (typeof query === 'string' && query.length > 0) {
      const bytes = Buffer.byteLength(query, 'utf8');
      if (bytes > opts.maxQueryBytes) return refuse(ctx, 413, 'QUERY_TOO_LARGE', `The query document is ${bytes} bytes; the limit is ${opts.maxQueryBytes}.`);
      // Counted before Apollo validates: validation time grows with the fields a document names.
      if (!shapes.has(query)) {
        let document: DocumentNode | undefined;
        try {
          document = parse(query, { maxTokens: MAX_TOKENS, noLocation: true });
        } catch {
          // A syntax error: Apollo parses again and answers it as GRAPHQL_PARSE_FAILED.
        }
        if (document) {
          try {
            checkShape(document);
          } catch (err) {
            const e = err as GraphQLError;
            return refuse(ctx, 400, String(e.extensions.code), e.message);
          }
          shapes.add(query);
        }
      }
    }
    await apollo(ctx, next);
  };
  return { admit, middleware, executor, stop: () => server.stop() };
}
