import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { App } from '../App';
import { AppProviders } from '../AppProviders';
import { createGraphqlClient } from '../graphql-client';
import { theme } from '../theme';

/** A component inside Mantine only. */
export function renderUi(ui: ReactElement): RenderResult {
  return render(ui, { wrapper: ({ children }: { children: ReactNode }) => <MantineProvider theme={theme}>{children}</MantineProvider> });
}

export interface FakeCall {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that answers from a handler and records every call. */
export function fakeFetch(handler: (url: string, init: RequestInit | undefined) => Response | Promise<Response>) {
  const calls: FakeCall[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, init });
    return handler(url, init);
  };
  return { fn: fn as typeof fetch, calls };
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** The whole console at `path` (below /admin), with GraphQL answered by `graphqlFetch`. */
export function renderApp(path: string, graphqlFetch: typeof fetch): RenderResult {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders client={createGraphqlClient(graphqlFetch)}>
        <App />
      </AppProviders>
    </MemoryRouter>,
  );
}
