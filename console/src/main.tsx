import '@mantine/core/styles.css';
import './contrast.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { AppProviders } from './AppProviders';
import { createGraphqlClient } from './graphql-client';
import { installNonce } from './nonce';

const nonce = installNonce();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename="/admin">
      <AppProviders client={createGraphqlClient()} nonce={nonce}>
        <App />
      </AppProviders>
    </BrowserRouter>
  </StrictMode>,
);
