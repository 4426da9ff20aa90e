import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { Provider as UrqlProvider, type Client } from 'urql';
import { ViewerProvider } from './session/ViewerProvider';
import { theme } from './theme';

/** Everything the console's components expect around them, except the router (BrowserRouter in main, MemoryRouter in tests). */
export function AppProviders({ client, nonce, children }: { client: Client; nonce?: string; children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={nonce ? () => nonce : undefined}>
      <UrqlProvider value={client}>
        <ViewerProvider>{children}</ViewerProvider>
      </UrqlProvider>
    </MantineProvider>
  );
}
