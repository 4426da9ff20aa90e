import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render';
import { graphqlServer, READER_VIEWER, type GraphqlHandler } from './provisioning/shared/graphql-test-server';

const OKTA = { idp: 'okta', active: true, activatedAt: '2025-01-02T10:00:00Z', deactivatedAt: null, lastScimRequestAt: '2025-03-01T09:00:00Z', scimBaseUrl: 'https://roster.example/scim/v2' };
const ENTRA = { idp: 'entra', active: false, activatedAt: '2025-01-02T10:00:00Z', deactivatedAt: '2025-02-01T10:00:00Z', lastScimRequestAt: null, scimBaseUrl: 'https://roster.example/scim/v2' };
const token = (id: string, idp: string, prefix: string, revokedAt: string | null = null) => ({
  id,
  kind: 'scim_token',
  idp,
  name: `SCIM token for ${idp}`,
  role: 'PROVISIONER',
  prefix,
  createdAt: '2025-01-02T10:00:00Z',
  lastUsedAt: null,
  revokedAt,
});
const API_KEY = { id: 'k1', kind: 'api_key', idp: null, name: 'ci', role: 'ADMIN', prefix: 'rst_key_ab', createdAt: '2025-01-02T10:00:00Z', lastUsedAt: null, revokedAt: null };

function server(overrides: Record<string, GraphqlHandler> = {}, viewer?: unknown) {
  const credentials = [token('t1', 'okta', 'rst_scim_a1'), token('t0', 'okta', 'rst_scim_z9', '2025-01-03T10:00:00Z'), API_KEY];
  return graphqlServer(
    {
      ProvisioningPage: () => ({ data: { provisioning: [OKTA, ENTRA], credentials } }),
      ScimRequests: ({ idp }) => ({
        data: { scimRequests: idp === 'okta' ? [{ id: 'r1', at: '2025-03-01T09:00:00Z', method: 'GET', path: '/scim/v2/Users?count=1', status: 200, durationMs: 12 }] : [] },
      }),
      ...overrides,
    },
    viewer,
  );
}

const card = async (name: string) => screen.findByRole('region', { name });

describe('Provisioning page', () => {
  it('shows one card per IdP with its state, SCIM base URL to copy and its tokens', async () => {
    renderApp('/provisioning', server().fetch);
    const okta = await card('Okta');
    expect(within(okta).getByText('Active')).toBeInTheDocument();
    expect(within(okta).getAllByLabelText('SCIM base URL')[0]).toHaveValue('https://roster.example/scim/v2');
    expect(within(okta).getAllByRole('button', { name: 'Copy SCIM base URL' }).length).toBeGreaterThan(0);
    const tokens = within(okta).getByRole('table', { name: 'SCIM tokens for okta' });
    expect(within(tokens).getAllByRole('row')).toHaveLength(3);
    expect(tokens).toHaveTextContent('rst_scim_a1');
    expect(tokens).toHaveTextContent('Revoked');
    // The API key is not a token of okta.
    expect(tokens).not.toHaveTextContent('rst_key_ab');

    const entra = await card('Entra ID');
    expect(within(entra).getByText('Inactive')).toBeInTheDocument();
    expect(within(entra).getByRole('button', { name: 'Activate' })).toBeInTheDocument();
    expect(within(entra).getByRole('button', { name: 'Generate a new token for entra' })).toBeDisabled();
  });

  it('shows a generated token once, keeps it out of storage, and forgets it after a remount', async () => {
    const user = userEvent.setup();
    const api = server({
      IssueScimToken: ({ idp }) => ({ data: { issueScimToken: { secret: 'rst_scim_SECRET', credential: { ...token('t2', String(idp), 'rst_scim_SE') } } } }),
    });
    const view = renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    expect(okta).toHaveTextContent('The old token keeps working until you revoke it');
    await user.click(within(okta).getByRole('button', { name: 'Generate a new token for okta' }));

    expect(await within(okta).findByLabelText('SCIM token for okta')).toHaveValue('rst_scim_SECRET');
    expect(within(okta).getByRole('alert')).toHaveTextContent(/will not be shown again/);
    // The checklist offers it as the Authorization value while it is shown.
    expect(within(okta).getByLabelText('Authorization: Bearer token')).toHaveValue('rst_scim_SECRET');
    expect(api.named('IssueScimToken')[0]!.variables).toMatchObject({ idp: 'okta', name: expect.stringMatching(/^SCIM token for okta, \d{4}-\d{2}-\d{2}$/) });
    // No overlap lost: generating revokes nothing.
    expect(api.named('RevokeCredential')).toHaveLength(0);
    expect(api.named('RotateScimToken')).toHaveLength(0);

    const stored = [...Object.values(localStorage), ...Object.values(sessionStorage), document.cookie].join('\n');
    expect(stored).not.toContain('rst_scim_SECRET');

    view.unmount();
    renderApp('/provisioning', server().fetch);
    await card('Okta');
    expect(screen.queryByDisplayValue('rst_scim_SECRET')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('rst_scim_SECRET');
  });

  it('hides the token when the admin says it is copied', async () => {
    const user = userEvent.setup();
    const api = server({
      IssueScimToken: () => ({ data: { issueScimToken: { secret: 'rst_scim_ONCE', credential: token('t2', 'okta', 'rst_scim_ON') } } }),
    });
    renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    await user.click(within(okta).getByRole('button', { name: 'Generate a new token for okta' }));
    await user.click(await within(okta).findByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByDisplayValue('rst_scim_ONCE')).not.toBeInTheDocument();
  });

  it('revokes a token only after confirmation', async () => {
    const user = userEvent.setup();
    const api = server({ RevokeCredential: ({ id }) => ({ data: { revokeCredential: { ...token(String(id), 'okta', 'rst_scim_a1', '2025-03-02T00:00:00Z') } } }) });
    renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    await user.click(within(okta).getByRole('button', { name: 'Revoke token rst_scim_a1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the token rst_scim_a1…?' });
    expect(dialog).toHaveTextContent("This is okta's only valid token");
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.named('RevokeCredential')).toHaveLength(0);

    await user.click(within(okta).getByRole('button', { name: 'Revoke token rst_scim_a1' }));
    await user.click(await screen.findByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.named('RevokeCredential')).toHaveLength(1));
    expect(api.named('RevokeCredential')[0]!.variables).toEqual({ id: 't1' });
    // The page loads again.
    await waitFor(() => expect(api.named('ProvisioningPage').length).toBeGreaterThan(1));
  });

  it('replaces every token with rotateScimToken after a warning, and shows the new one once', async () => {
    const user = userEvent.setup();
    const api = server({ RotateScimToken: () => ({ data: { rotateScimToken: { secret: 'rst_scim_ROTATED', credential: token('t3', 'okta', 'rst_scim_RO') } } }) });
    renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    await user.click(within(okta).getByRole('button', { name: 'Replace all tokens' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replace every token of okta?' });
    expect(dialog).toHaveTextContent(/revokes the current one at once/);
    await user.click(within(dialog).getByRole('button', { name: 'Replace all tokens' }));
    expect(await within(okta).findByLabelText('SCIM token for okta')).toHaveValue('rst_scim_ROTATED');
  });

  it('deactivates after confirmation', async () => {
    const user = userEvent.setup();
    const api = server({ DeactivateProvisioning: () => ({ data: { deactivateProvisioning: { ...OKTA, active: false } } }) });
    renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    await user.click(within(okta).getByRole('button', { name: 'Deactivate' }));
    expect(await screen.findByRole('dialog', { name: 'Deactivate provisioning from okta?' })).toHaveTextContent('Its tokens are kept');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(api.named('DeactivateProvisioning')[0]?.variables).toEqual({ idp: 'okta' }));
  });

  it('lists the recent SCIM requests, refreshes them, and says what to do when there are none', async () => {
    const user = userEvent.setup();
    const api = server();
    renderApp('/provisioning', api.fetch);
    const okta = await card('Okta');
    const table = await within(okta).findByRole('table', { name: 'SCIM requests from okta' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('GET');
    expect(row).toHaveTextContent('/scim/v2/Users?count=1');
    expect(row).toHaveTextContent('200');
    expect(api.named('ScimRequests').find((o) => o.variables.idp === 'okta')!.variables).toEqual({ idp: 'okta', first: 20 });

    const before = api.named('ScimRequests').length;
    await user.click(within(okta).getByRole('button', { name: 'Refresh the SCIM requests from okta' }));
    await waitFor(() => expect(api.named('ScimRequests').length).toBe(before + 1));

    const entra = await card('Entra ID');
    expect(await within(entra).findByText('No SCIM request from entra yet.')).toBeInTheDocument();
  });

  it('says to press Test Connector Configuration when Okta sent nothing yet', async () => {
    renderApp('/provisioning', server({ ScimRequests: () => ({ data: { scimRequests: [] } }) }).fetch);
    const okta = await card('Okta');
    expect(await within(okta).findByText('No SCIM request from okta yet.')).toBeInTheDocument();
    expect(okta).toHaveTextContent('In Okta, press Test Connector Configuration.');
  });

  it('lists the Okta steps with the values to paste', async () => {
    renderApp('/provisioning', server().fetch);
    const okta = await card('Okta');
    const checklist = within(okta).getByRole('region', { name: 'Set up provisioning in Okta' });
    expect(within(checklist).getByLabelText('SCIM connector base URL')).toHaveValue(OKTA.scimBaseUrl);
    expect(within(checklist).getByLabelText('Unique identifier field for users')).toHaveValue('userName');
    expect(within(checklist).getByLabelText('Authentication Mode')).toHaveValue('HTTP Header');
    for (const label of ['SCIM connector base URL', 'Unique identifier field for users', 'Authentication Mode']) {
      expect(within(checklist).getByRole('button', { name: `Copy ${label}` })).toBeInTheDocument();
    }
    const actions = within(checklist).getByRole('list', { name: 'Supported provisioning actions' });
    expect(
      within(actions)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['✓Import New Users and Profile Updates', '✓Push New Users', '✓Push Profile Updates', '✓Push Groups']);
    expect(checklist).toHaveTextContent('the token is shown only when it is generated');
  });

  it('adds an identity provider and shows its token once', async () => {
    const user = userEvent.setup();
    let added = false;
    const api = server({
      ProvisioningPage: () => ({ data: { provisioning: added ? [OKTA, { ...ENTRA, idp: 'onelogin', active: true }] : [OKTA], credentials: [] } }),
      ActivateProvisioning: ({ idp }) => {
        added = true;
        return { data: { activateProvisioning: { scimBaseUrl: OKTA.scimBaseUrl, token: 'rst_scim_NEW', provisioning: { ...OKTA, idp }, credential: token('t9', String(idp), 'rst_scim_NE') } } };
      },
    });
    renderApp('/provisioning', api.fetch);
    await card('Okta');
    await user.click(screen.getByRole('button', { name: 'Add an identity provider' }));
    const field = await screen.findByLabelText(/Identity provider label/);
    await user.type(field, 'okta');
    await user.click(screen.getByRole('button', { name: 'Add and generate a token' }));
    expect(await screen.findByText(/okta is set up already/)).toBeInTheDocument();
    await user.clear(field);
    await user.type(field, 'OneLogin');
    await user.click(screen.getByRole('button', { name: 'Add and generate a token' }));
    const onelogin = await card('OneLogin');
    expect(await within(onelogin).findByLabelText('SCIM token for onelogin')).toHaveValue('rst_scim_NEW');
    expect(api.named('ActivateProvisioning')[0]!.variables).toEqual({ idp: 'onelogin' });
  });

  it('shows an error with a retry', async () => {
    const user = userEvent.setup();
    let fail = true;
    renderApp('/provisioning', server({ ProvisioningPage: () => (fail ? { errors: [{ message: 'Database unavailable' }] } : { data: { provisioning: [], credentials: [] } }) }).fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No provisioning set up')).toBeInTheDocument();
  });

  it('tells a READER the page needs ADMIN and asks nothing', async () => {
    const api = server({}, READER_VIEWER);
    renderApp('/provisioning', api.fetch);
    expect(await screen.findByText('This page needs ADMIN')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add an identity provider' })).not.toBeInTheDocument();
    expect(api.named('ProvisioningPage')).toHaveLength(0);
  });
});
