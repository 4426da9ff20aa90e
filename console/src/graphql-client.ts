import { Client, cacheExchange, fetchExchange } from 'urql';

/**
 * The console's GraphQL client: POST only (Apollo's CSRF prevention refuses a plain GET), the
 * session cookie `roster_session` as the only credential: no Authorization header, no token in storage.
 */
export function createGraphqlClient(fetchImpl?: typeof fetch): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [cacheExchange, fetchExchange],
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
