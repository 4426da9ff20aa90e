import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render';
import { ADMIN_KEY_VIEWER, graphqlServer, READER_VIEWER, type GraphqlHandler } from './provisioning/shared/graphql-test-server';

const key = (id: string, name: string, role: string, revokedAt: string | null = null) => ({
  id,
  kind: 'api_key',
  idp: null,
  name,
  role,
  prefix: `rst_${id}`,
  createdAt: '2025-01-02T10:00:00Z',
  lastUsedAt: '2025-02-02T10:00:00Z',
  revokedAt,
});
const SCIM = { ...key('s1', 'SCIM token for okta', 'PROVISIONER'), kind: 'scim_token', idp: 'okta' };
const KEYS = [key('k1', 'laptop', 'ADMIN'), key('k2', 'ci', 'READER'), key('k3', 'root', 'OWNER'), key('k4', 'old', 'READER', '2025-01-05T00:00:00Z'), SCIM];

function server(overrides: Record<string, GraphqlHandler> = {}, viewer: unknown = ADMIN_KEY_VIEWER) {
  return graphqlServer({ ApiKeys: () => ({ data: { credentials: KEYS } }), ...overrides }, viewer);
}

describe('API keys page', () => {
  it('lists the API keys (not SCIM tokens) with role, prefix, dates and status', async () => {
    renderApp('/api-keys', server().fetch);
    const table = await screen.findByRole('table', { name: 'API keys' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['laptopthis session', 'ci', 'root', 'old']);
    expect(rows[1]).toHaveTextContent('READER');
    expect(rows[1]).toHaveTextContent('rst_k2');
    expect(rows[3]).toHaveTextContent('Revoked');
    expect(table).not.toHaveTextContent('SCIM token for okta');
    // An ADMIN may not revoke an OWNER key, nor create one.
    expect(within(rows[2]!).getByRole('button', { name: 'Revoke API key root' })).toBeDisabled();
    expect(within(screen.getByLabelText(/^Role/)).queryByRole('option', { name: 'OWNER' })).not.toBeInTheDocument();
  });

  it('creates a key and shows it once; a remount has forgotten it', async () => {
    const user = userEvent.setup();
    const api = server({ CreateApiKey: ({ name, role }) => ({ data: { createApiKey: { secret: 'rst_key_NEWSECRET', credential: key('k9', String(name), String(role)) } } }) });
    const view = renderApp('/api-keys', api.fetch);
    await screen.findByRole('table', { name: 'API keys' });
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    expect(await screen.findByText(/Name the key/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Name/), 'backup job');
    await user.selectOptions(screen.getByLabelText(/^Role/), 'ADMIN');
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    expect(await screen.findByLabelText('API key backup job')).toHaveValue('rst_key_NEWSECRET');
    expect(screen.getByRole('alert')).toHaveTextContent(/will not be shown again/);
    expect(api.named('CreateApiKey')[0]!.variables).toEqual({ name: 'backup job', role: 'ADMIN' });
    expect([...Object.values(localStorage), ...Object.values(sessionStorage)].join()).not.toContain('rst_key_NEWSECRET');

    view.unmount();
    renderApp('/api-keys', server().fetch);
    await screen.findByRole('table', { name: 'API keys' });
    expect(document.body).not.toHaveTextContent('rst_key_NEWSECRET');
    expect(screen.queryByDisplayValue('rst_key_NEWSECRET')).not.toBeInTheDocument();
  });

  it('revokes after confirmation, and warns when it is the key of the current session', async () => {
    const user = userEvent.setup();
    const api = server({ RevokeCredential: ({ id }) => ({ data: { revokeCredential: key(String(id), 'x', 'READER', '2025-03-01T00:00:00Z') } }) });
    renderApp('/api-keys', api.fetch);
    await screen.findByRole('table', { name: 'API keys' });

    await user.click(screen.getByRole('button', { name: 'Revoke API key laptop' }));
    const own = await screen.findByRole('dialog', { name: 'Revoke the API key laptop?' });
    expect(own).toHaveTextContent('This is the key of your current session');
    await user.click(within(own).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.named('RevokeCredential')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Revoke API key ci' }));
    const other = await screen.findByRole('dialog', { name: 'Revoke the API key ci?' });
    expect(other).not.toHaveTextContent('current session');
    await user.click(within(other).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.named('RevokeCredential')[0]?.variables).toEqual({ id: 'k2' }));
  });

  it('shows the empty state, and an error with a retry', async () => {
    const user = userEvent.setup();
    let fail = true;
    renderApp('/api-keys', server({ ApiKeys: () => (fail ? { errors: [{ message: 'Boom' }] } : { data: { credentials: [SCIM] } }) }).fetch);
    expect(await screen.findByText('Boom')).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No API keys')).toBeInTheDocument();
  });

  it('tells a READER the page needs ADMIN', async () => {
    const api = server({}, READER_VIEWER);
    renderApp('/api-keys', api.fetch);
    expect(await screen.findByText('This page needs ADMIN')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create API key' })).not.toBeInTheDocument();
    expect(api.named('ApiKeys')).toHaveLength(0);
  });
});
