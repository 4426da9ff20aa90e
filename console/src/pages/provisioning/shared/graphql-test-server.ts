import { fakeFetch, json } from '../../../test/render';

/** What a handler answers: a GraphQL response body ({ data } or { errors }). */
export type GraphqlAnswer = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
export type GraphqlHandler = (variables: Record<string, unknown>) => GraphqlAnswer | Promise<GraphqlAnswer>;

export interface RecordedOperation {
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

export const OWNER_VIEWER = { role: 'OWNER', idp: 'okta', credentialName: null, user: { userName: 'ada@example.com', displayName: 'Ada Lovelace' } };
export const ADMIN_KEY_VIEWER = { role: 'ADMIN', idp: null, credentialName: 'laptop', user: null };
export const READER_VIEWER = { role: 'READER', idp: 'okta', credentialName: null, user: { userName: 'bob@example.com', displayName: 'Bob' } };

/**
 * A fake /graphql for renderApp: answers each operation by its name from `handlers` (Viewer answers
 * `viewer` unless given), records the operations, and answers an unknown one with an error.
 */
export function graphqlServer(handlers: Record<string, GraphqlHandler>, viewer: unknown = OWNER_VIEWER) {
  const operations: RecordedOperation[] = [];
  const all: Record<string, GraphqlHandler> = { Viewer: () => ({ data: { viewer } }), ...handlers };
  const { fn } = fakeFetch(async (_url, init) => {
    const body = JSON.parse(String(init?.body)) as { query: string; operationName?: string; variables?: Record<string, unknown> };
    const operationName = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '';
    operations.push({ operationName, query: body.query, variables: body.variables ?? {} });
    const handler = all[operationName];
    if (!handler) return json({ errors: [{ message: `no handler for ${operationName}` }] });
    return json(await handler(body.variables ?? {}));
  });
  return {
    fetch: fn,
    operations,
    /** The operations of one name, in order. */
    named: (name: string) => operations.filter((o) => o.operationName === name),
  };
}
