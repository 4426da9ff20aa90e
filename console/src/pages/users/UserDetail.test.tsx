import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json } from '../../test/render';
import { currentLocation, renderConsole, userDetail, type FakeOp } from './testing';

afterEach(() => vi.unstubAllGlobals());

const OKTA_USER = userDetail({
  id: 'u1',
  userName: 'ada@example.com',
  displayName: 'Ada Lovelace',
  source: 'okta',
  email: 'ada@example.com',
  secondEmail: 'ada@home.example',
  mobilePhone: '+1 555 0100',
  postalAddress: '1 Main St, London',
  staticIp: '10.0.0.7',
  macAddress: '00:11:22:33:44:55',
  enterprise: { employeeNumber: 'E1', costCenter: null, organization: 'Analytical', division: null, department: 'Engines', manager: { value: 'm1', displayName: 'Charles Babbage' } },
});
const LOCAL_USER = userDetail({
  id: 'u2',
  userName: 'grace',
  name: { formatted: null, givenName: 'Grace', familyName: 'Hopper', middleName: null, honorificPrefix: null, honorificSuffix: null },
  version: 7,
});

function handler(user: ReturnType<typeof userDetail>, extra: (op: FakeOp) => unknown = () => undefined) {
  return (op: FakeOp) => {
    const more = extra(op);
    if (more) return more as { data: unknown };
    if (op.name === 'User') return { data: { user } };
    if (op.name === 'UserGroups') return { data: { user: { id: user.id, groups: [{ id: 'g1', displayName: 'Engineering', source: 'okta', memberCount: 12 }] } } };
    if (op.name === 'UserSessions')
      return {
        data: {
          sessions: [
            {
              id: 's1',
              idp: 'okta',
              role: 'READER',
              address: '10.1.1.1',
              userAgent: 'Firefox',
              createdAt: '2024-05-01T10:00:00Z',
              lastSeenAt: '2024-05-01T11:00:00Z',
              expiresAt: '2024-05-02T10:00:00Z',
              endedAt: null,
              endReason: null,
            },
          ],
        },
      };
    if (op.name === 'ResourceAudit')
      return {
        data: {
          auditLog: {
            totalCount: 1,
            hasNextPage: false,
            nodes: [{ id: 'a1', at: '2024-05-01T10:00:00Z', actor: 'Okta SCIM (okta)', action: 'user.update', changed: ['title'], ignored: [], requestId: 'r1' }],
          },
        },
      };
    if (op.name === 'DeactivateUser') return { data: { deactivateUser: { ...user, active: false } } };
    if (op.name === 'UpdateUser') return { data: { updateUser: user } };
    if (op.name === 'RevokeSession') return { data: { revokeSession: { id: 's1', endedAt: '2024-05-01T12:00:00Z', endReason: 'revoked' } } };
    return { error: `unexpected ${op.name}` };
  };
}

describe('User detail', () => {
  it('shows every attribute, the Okta-mapped ones and the product extension, read-only for an IdP-managed user', async () => {
    renderConsole('/users/u1', handler(OKTA_USER));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByTestId('managed-notice')).toHaveTextContent('Managed by okta');
    expect(screen.getByTestId('managed-notice')).toHaveTextContent('Change it in the IdP: local edits would be overwritten by the next push.');
    for (const text of ['ada@home.example', '+1 555 0100', '1 Main St, London', '10.0.0.7', '00:11:22:33:44:55', 'Engines', 'Charles Babbage']) expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit profile' })).not.toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Profile' })).toHaveAttribute('aria-selected', 'true');
  });

  it('asks before deactivating, says sessions end, and forces an IdP-managed user with a warning', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/users/u1', handler(OKTA_USER));
    await user.click(await screen.findByRole('button', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Ada Lovelace?' });
    expect(dialog).toHaveTextContent('every session they have ends now');
    expect(dialog).toHaveTextContent('okta may push the old state back');
    expect(fake.calls.some((c) => c.name === 'DeactivateUser')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(fake.last('DeactivateUser')?.variables).toEqual({ id: 'u1', force: true }));
  });

  it('does not force a local user', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/users/u2', handler(LOCAL_USER));
    await user.click(await screen.findByRole('button', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).not.toHaveTextContent('push the old state back');
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(fake.last('DeactivateUser')?.variables).toEqual({ id: 'u2', force: null }));
  });

  it('edits a local user with updateUser, sending only what changed', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/users/u2', handler(LOCAL_USER));
    expect(await screen.findByRole('heading', { level: 1, name: 'Grace Hopper' })).toBeInTheDocument();
    expect(screen.queryByTestId('managed-notice')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Edit profile' }));
    await user.type(screen.getByLabelText('Title'), 'Rear Admiral');
    await user.clear(screen.getByLabelText('Family name'));
    await user.type(screen.getByLabelText('Family name'), 'Murray');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.last('UpdateUser')).toBeDefined());
    expect(fake.last('UpdateUser')!.variables).toEqual({
      id: 'u2',
      expectedVersion: 7,
      input: { title: 'Rear Admiral', name: { formatted: null, givenName: 'Grace', familyName: 'Murray', middleName: null, honorificPrefix: null, honorificSuffix: null } },
    });
  });

  it('hides every action from a READER', async () => {
    renderConsole('/users/u2', handler(LOCAL_USER), 'READER');
    expect(await screen.findByRole('heading', { level: 1, name: 'Grace Hopper' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Deactivate' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit profile' })).not.toBeInTheDocument();
  });

  it('has routable tabs: groups link to the group', async () => {
    const user = userEvent.setup();
    renderConsole('/users/u1', handler(OKTA_USER));
    await user.click(await screen.findByRole('tab', { name: 'Groups' }));
    expect(currentLocation()).toBe('/users/u1/groups');
    expect(await screen.findByRole('link', { name: 'Engineering' })).toHaveAttribute('href', '/groups/g1');
  });

  it('lists sessions and revokes one after confirmation', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/users/u1/sessions', handler(OKTA_USER));
    const revoke = await screen.findByRole('button', { name: /^Revoke session/ });
    expect(screen.getByText('10.1.1.1')).toBeInTheDocument();
    await user.click(revoke);
    const dialog = await screen.findByRole('dialog', { name: 'Revoke this session?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(fake.last('RevokeSession')?.variables).toEqual({ id: 's1' }));
  });

  it('hides sessions and their revoke buttons from a READER', async () => {
    const fake = renderConsole('/users/u1/sessions', handler(OKTA_USER), 'READER');
    expect(await screen.findByText('Only an OWNER or ADMIN can see and revoke sessions.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Revoke/ })).not.toBeInTheDocument();
    expect(fake.calls.some((c) => c.name === 'UserSessions')).toBe(false);
  });

  it('shows the raw SCIM JSON from /scim/v2/Users/{id} with the session cookie', async () => {
    const scim = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ada@example.com' };
    const browser = fakeFetch(() => json(scim));
    vi.stubGlobal('fetch', browser.fn);
    renderConsole('/users/u1/scim', handler(OKTA_USER));
    const code = await screen.findByTestId('scim-json');
    expect(code.textContent).toBe(JSON.stringify(scim, null, 2));
    expect(browser.calls[0]!.url).toBe('/scim/v2/Users/u1');
    expect(browser.calls[0]!.init?.credentials).toBe('same-origin');
    expect(screen.getByRole('button', { name: 'Copy SCIM JSON' })).toBeInTheDocument();
  });

  it('shows a SCIM error with a retry', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => json({ detail: 'Resource not found' }, 404)).fn);
    renderConsole('/users/u1/scim', handler(OKTA_USER));
    expect(await screen.findByRole('alert')).toHaveTextContent('SCIM answered HTTP 404: Resource not found');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it("shows the user's audit trail", async () => {
    const fake = renderConsole('/users/u1/audit', handler(OKTA_USER));
    expect(await screen.findByText('user.update')).toBeInTheDocument();
    expect(fake.last('ResourceAudit')!.variables).toMatchObject({ filter: { resourceId: 'u1' } });
    expect(screen.getByText('1–1 of 1 events')).toBeInTheDocument();
  });

  it('says when the user does not exist, and offers a retry on an error', async () => {
    renderConsole('/users/nope', () => ({ data: { user: null } }));
    expect(await screen.findByText('User not found')).toBeInTheDocument();
  });

  it('offers a retry when the user cannot be loaded', async () => {
    renderConsole('/users/u1', (op) => (op.name === 'User' ? { error: 'Boom' } : { data: {} }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Boom');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
