import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type Koa from 'koa';
import type { GraphContext } from './context';
import { formatError } from './format-error';
import { checkCost, depthLimitRule } from './limits';

/**
 * Apollo Server on Koa through Apollo's public `executeHTTPGraphQLRequest`. The official
 * @as-integrations/koa is ESM-only and cannot be require()d by this CommonJS project; this glue
 * is the few lines that package would contribute.
 */
export async function createGraphqlMiddleware(
  schema: GraphQLSchema,
  context: (ctx: Koa.Context) => Promise<GraphContext>,
  onInternal: (ctx: GraphContext | undefined, err: unknown) => void,
): Promise<{ middleware: Koa.Middleware; stop: () => Promise<void> }> {
  const server = new ApolloServer<GraphContext>({
    schema,
    introspection: true,
    validationRules: [depthLimitRule],
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT (drain, then stop). Apollo's own handler would race it: a second
    // stop() during Apollo's awaits a barrier that Apollo 5 never resolves, so shutdown hung forever.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, (err) => onInternal(undefined, err)),
    plugins: [
      // Apollo's landing page loads from a CDN; Roster serves its own GraphiQL instead.
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ request, document, schema: s }) {
              checkCost(s, document, request.variables, request.operationName);
            },
          };
        },
      },
    ],
  });
  await server.start();
  const middleware: Koa.Middleware = async (ctx) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(ctx.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const res = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: ctx.method.toUpperCase(), headers, search: ctx.querystring ? `?${ctx.querystring}` : '', body: (ctx.request as { body?: unknown }).body },
      context: () => context(ctx),
    });
    for (const [key, value] of res.headers) ctx.set(key, value);
    ctx.status = res.status ?? 200;
    if (res.body.kind === 'complete') {
      ctx.body = res.body.string;
    } else {
      let text = '';
      for await (const chunk of res.body.asyncIterator) text += chunk;
      ctx.body = text;
    }
  };
  return { middleware, stop: () => server.stop() };
}
