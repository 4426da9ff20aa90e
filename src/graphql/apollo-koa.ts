import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { koaMiddleware } from '@as-integrations/koa';
import type { GraphQLSchema } from 'graphql';
import type Koa from 'koa';
import type { GraphContext } from './context.js';
import { formatError } from './format-error.js';
import { checkCost, depthLimitRule } from './limits.js';

/** Apollo Server on Koa through the official integration (the body is parsed before it). */
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
  const middleware = koaMiddleware(server, { context: async ({ ctx }) => context(ctx) });
  return { middleware, stop: () => server.stop() };
}
