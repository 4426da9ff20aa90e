import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render';
import { graphqlServer, READER_VIEWER, type GraphqlHandler } from './provisioning/shared/graphql-test-server';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

const OKTA = {
  idp: 'okta',
  entityId: 'http://www.okta.com/exk123',
  ssoUrl: 'https://dev-1.okta.com/app/roster/exk123/sso/saml',
  ssoBinding: 'HTTP-Redirect',
  acsUrl: 'https://roster.example/saml/sp/acs',
  spEntityId: 'https://roster.example/saml/sp/metadata',
  isDefault: true,
  jitProvisioning: false,
  matchEmail: true,
  wantResponseSigned: false,
  roleMappings: [{ group: 'Roster Admins', role: 'ADMIN' }],
  certificates: [
    { subject: 'CN=dev-1, O=Okta', notBefore: inDays(-300), notAfter: inDays(12), fingerprintSha256: 'AA:BB' },
    { subject: 'CN=dev-1-new, O=Okta', notBefore: inDays(-1), notAfter: inDays(700), fingerprintSha256: 'CC:DD' },
  ],
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};
const ENTRA = {
  ...OKTA,
  idp: 'entra',
  isDefault: false,
  roleMappings: [],
  certificates: [{ subject: 'CN=Microsoft Azure Federated SSO Certificate', notBefore: inDays(-900), notAfter: inDays(-2), fingerprintSha256: 'EE:FF' }],
};

function server(overrides: Record<string, GraphqlHandler> = {}, viewer?: unknown) {
  return graphqlServer({ SamlConnections: () => ({ data: { samlConnections: [OKTA, ENTRA] } }), ...overrides }, viewer);
}
const card = (name: string) => screen.findByRole('region', { name });

describe('Single sign-on page', () => {
  it('shows the SP values to paste into Okta, each with a copy button', async () => {
    const user = userEvent.setup();
    renderApp('/sso', server().fetch);
    const okta = await card('Okta');
    const values = within(okta).getByRole('region', { name: 'Values to paste into Okta' });
    expect(within(values).getByLabelText('Single sign-on URL')).toHaveValue('https://roster.example/saml/sp/acs');
    expect(within(values).getByLabelText('Audience URI (SP Entity ID)')).toHaveValue('https://roster.example/saml/sp/metadata');
    const statements = within(values).getByRole('table', { name: 'Attribute statements for okta' });
    const rows = within(statements)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent?.replace(/[⧉✓]/g, '')),
      );
    expect(rows).toEqual([
      ['firstName', 'Unspecified', 'user.firstName'],
      ['lastName', 'Unspecified', 'user.lastName'],
      ['email', 'Unspecified', 'user.email'],
      ['loginId', 'Unspecified', 'user.login'],
    ]);
    await user.click(within(values).getByRole('button', { name: 'Copy value of loginId' }));
    expect(await navigator.clipboard.readText()).toBe('user.login');
    await user.click(within(values).getByRole('button', { name: 'Copy Single sign-on URL' }));
    expect(await navigator.clipboard.readText()).toBe('https://roster.example/saml/sp/acs');
  });

  it('warns about a certificate that expires within 30 days or has expired', async () => {
    renderApp('/sso', server().fetch);
    const okta = await card('Okta');
    const certs = within(okta).getByRole('table', { name: 'Signing certificates of okta' });
    const [soon, later] = within(certs).getAllByRole('row').slice(1);
    expect(soon).toHaveTextContent('CN=dev-1, O=Okta');
    expect(within(soon!).getByRole('alert')).toHaveTextContent(/Expires in 1[12] days/);
    expect(within(later!).queryByRole('alert')).not.toBeInTheDocument();

    const entra = await card('Entra ID');
    expect(within(within(entra).getByRole('table', { name: 'Signing certificates of entra' })).getByRole('alert')).toHaveTextContent('Expired');
  });

  it('shows what configureSaml refuses under the metadata field', async () => {
    const user = userEvent.setup();
    const api = server({
      ConfigureSaml: () => ({ errors: [{ message: 'The metadata has no IDPSSODescriptor.', extensions: { code: 'INVALID_VALUE' } }] }),
    });
    renderApp('/sso', api.fetch);
    const okta = await card('Okta');
    const field = within(okta).getByLabelText('Metadata XML for okta');
    await user.click(field);
    await user.paste('<EntityDescriptor/>');
    await user.click(within(okta).getByRole('button', { name: 'Save metadata' }));
    expect(await within(okta).findByText('The metadata has no IDPSSODescriptor.')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(api.named('ConfigureSaml')[0]!.variables).toEqual({ idp: 'okta', metadataXml: '<EntityDescriptor/>' });
  });

  it('reads an uploaded metadata file and sends it to configureSaml', async () => {
    const user = userEvent.setup();
    const api = server({ ConfigureSaml: ({ idp }) => ({ data: { configureSaml: { ...OKTA, idp } } }) });
    renderApp('/sso', api.fetch);
    const okta = await card('Okta');
    const input = okta.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, new File(['<md:EntityDescriptor entityID="x"/>'], 'okta.xml', { type: 'application/xml' }));
    await waitFor(() => expect(within(okta).getByLabelText('Metadata XML for okta')).toHaveValue('<md:EntityDescriptor entityID="x"/>'));
    await user.click(within(okta).getByRole('button', { name: 'Save metadata' }));
    await waitFor(() => expect(api.named('ConfigureSaml')[0]?.variables).toEqual({ idp: 'okta', metadataXml: '<md:EntityDescriptor entityID="x"/>' }));
  });

  it('saves the options with setSamlOptions', async () => {
    const user = userEvent.setup();
    const api = server({ SetSamlOptions: ({ idp }) => ({ data: { setSamlOptions: { ...OKTA, idp } } }) });
    renderApp('/sso', api.fetch);
    const okta = await card('Okta');
    const jit = within(okta).getByRole('switch', { name: /Just-in-time creation/ });
    expect(jit).not.toBeChecked();
    expect(within(okta).getByRole('switch', { name: /Match by email/ })).toBeChecked();
    await user.click(jit);
    await user.click(within(okta).getByRole('button', { name: 'Save options of okta' }));
    await waitFor(() => expect(api.named('SetSamlOptions')).toHaveLength(1));
    expect(api.named('SetSamlOptions')[0]!.variables).toEqual({ idp: 'okta', options: { isDefault: true, jitProvisioning: true, matchEmail: true, wantResponseSigned: false } });
  });

  it('replaces the role mapping with the rows shown', async () => {
    const user = userEvent.setup();
    const api = server({ SetSamlOptions: ({ idp }) => ({ data: { setSamlOptions: { ...OKTA, idp } } }) });
    renderApp('/sso', api.fetch);
    const okta = await card('Okta');
    const mapping = within(okta).getByRole('region', { name: 'Role mapping by group' });
    expect(within(mapping).getByLabelText('Group 1')).toHaveValue('Roster Admins');
    await user.click(within(mapping).getByRole('button', { name: 'Add a mapping' }));
    await user.type(within(mapping).getByLabelText('Group 2'), 'Roster Owners');
    await user.selectOptions(within(mapping).getByLabelText('Role 2'), 'OWNER');
    await user.click(within(mapping).getByRole('button', { name: 'Save role mapping of okta' }));
    await waitFor(() => expect(api.named('SetSamlOptions')).toHaveLength(1));
    expect(api.named('SetSamlOptions')[0]!.variables).toEqual({
      idp: 'okta',
      options: {
        roleMappings: [
          { group: 'Roster Admins', role: 'ADMIN' },
          { group: 'Roster Owners', role: 'OWNER' },
        ],
      },
    });
  });

  it('removes a connection only after confirmation, and links a test sign-in in a new tab', async () => {
    const user = userEvent.setup();
    const api = server({ RemoveSaml: () => ({ data: { removeSaml: true } }) });
    renderApp('/sso', api.fetch);
    const okta = await card('Okta');
    const test = within(okta).getByRole('link', { name: 'Test sign-in' });
    expect(test).toHaveAttribute('href', '/saml/sp/login?idp=okta&returnTo=%2Fadmin%2F');
    expect(test).toHaveAttribute('target', '_blank');

    await user.click(within(okta).getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove single sign-on through okta?' });
    expect(api.named('RemoveSaml')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(api.named('RemoveSaml')[0]?.variables).toEqual({ idp: 'okta' }));
  });

  it('connects a new identity provider from pasted metadata', async () => {
    const user = userEvent.setup();
    const api = server({
      SamlConnections: () => ({ data: { samlConnections: [] } }),
      SamlServiceProvider: () => ({
        data: {
          samlServiceProvider: {
            spEntityId: 'https://roster.example/saml/sp/metadata',
            acsUrl: 'https://roster.example/saml/sp/acs',
            metadataUrl: 'https://roster.example/saml/sp/metadata',
            loginUrl: 'https://roster.example/saml/sp/login',
          },
        },
      }),
      ConfigureSaml: ({ idp }) => ({ data: { configureSaml: { ...OKTA, idp } } }),
    });
    renderApp('/sso', api.fetch);
    expect(await screen.findByText('No identity provider connected')).toBeInTheDocument();
    expect(await screen.findByLabelText('Single sign-on URL')).toHaveValue('https://roster.example/saml/sp/acs');
    await user.click(screen.getByRole('button', { name: 'Connect an identity provider' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect an identity provider' });
    await user.type(within(dialog).getByLabelText(/Identity provider label/), 'okta');
    await user.click(within(dialog).getByLabelText('Metadata XML'));
    await user.paste('<EntityDescriptor/>');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(api.named('ConfigureSaml')[0]?.variables).toEqual({ idp: 'okta', metadataXml: '<EntityDescriptor/>' }));
  });

  it('tells a READER the page needs ADMIN', async () => {
    const api = server({}, READER_VIEWER);
    renderApp('/sso', api.fetch);
    expect(await screen.findByText('This page needs ADMIN')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Connect an identity provider' })).not.toBeInTheDocument();
    expect(api.named('SamlConnections')).toHaveLength(0);
  });
});
