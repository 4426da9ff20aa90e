import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { AppProviders } from '../AppProviders';
import { createGraphqlClient } from '../graphql-client';
import { graphqlServer, READER_VIEWER, type GraphqlHandler } from './provisioning/shared/graphql-test-server';

const event = (i: number, resourceType = 'User', resourceId: string | null = `u${i}`) => ({
  id: `e${i}`,
  at: new Date(Date.UTC(2025, 2, 1, 12, 0, 0) - i * 60_000).toISOString(),
  actor: 'SCIM token for okta (okta)',
  action: `${resourceType.toLowerCase()}.update`,
  resourceType,
  resourceId,
  changed: ['displayName'],
  ignored: [],
  requestId: null,
});

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

function renderAudit(path: string, overrides: Record<string, GraphqlHandler> = {}, viewer?: unknown) {
  const api = graphqlServer(
    {
      AuditLog: ({ offset }) => ({
        data: { auditLog: { nodes: Array.from({ length: 3 }, (_, i) => event(Number(offset) + i)), totalCount: 120, hasNextPage: Number(offset) + 50 < 120 } },
      }),
      ...overrides,
    },
    viewer,
  );
  render(
    <MemoryRouter initialEntries={[path]}>
      <AppProviders client={createGraphqlClient(api.fetch)}>
        <App />
        <LocationProbe />
      </AppProviders>
    </MemoryRouter>,
  );
  return api;
}
const location = () => new URL(screen.getByTestId('location').textContent!, 'http://x');

describe('Audit log page', () => {
  it('asks auditLog for the first page, newest first, with exact totals, and links rows to their objects', async () => {
    const api = renderAudit('/audit');
    const table = await screen.findByRole('table', { name: 'Audit events' });
    expect(api.named('AuditLog')[0]!.variables).toEqual({ filter: null, first: 50, offset: 0 });
    expect(screen.getByText('Events 1–3 of 120, newest first')).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('user.update');
    expect(within(rows[0]!).getByRole('link', { name: 'User u0' })).toHaveAttribute('href', '/users/u0');
  });

  it('links each kind of object where it lives', async () => {
    renderAudit('/audit', {
      AuditLog: () => ({
        data: {
          auditLog: {
            nodes: [event(1, 'Group', 'g1'), event(2, 'Credential', 'c1'), event(3, 'SamlConnection', 'okta'), event(4, 'Provisioning', 'okta'), event(5, 'Session', 's1')],
            totalCount: 5,
            hasNextPage: false,
          },
        },
      }),
    });
    const table = await screen.findByRole('table', { name: 'Audit events' });
    expect(within(table).getByRole('link', { name: 'Group g1' })).toHaveAttribute('href', '/groups/g1');
    expect(within(table).getByRole('link', { name: 'Credential c1' })).toHaveAttribute('href', '/api-keys');
    expect(within(table).getByRole('link', { name: 'SamlConnection okta' })).toHaveAttribute('href', '/sso');
    expect(within(table).getByRole('link', { name: 'Provisioning okta' })).toHaveAttribute('href', '/provisioning');
    expect(within(table).queryByRole('link', { name: 'Session s1' })).not.toBeInTheDocument();
    // One page only: no pager.
    expect(screen.queryByRole('button', { name: 'Next page' })).not.toBeInTheDocument();
  });

  it('puts the filters in the URL and in the query variables, and starts again from page 1', async () => {
    const user = userEvent.setup();
    const api = renderAudit('/audit?page=2');
    await screen.findByRole('table', { name: 'Audit events' });
    expect(api.named('AuditLog').at(-1)!.variables).toMatchObject({ offset: 50 });

    await user.type(screen.getByLabelText(/^Actor/), 'ada');
    await user.type(screen.getByLabelText(/^Identity provider/), 'okta');
    await user.type(screen.getByLabelText(/^Resource id/), 'u42');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(location().searchParams.get('actor')).toBe('ada'));
    expect(location().searchParams.get('idp')).toBe('okta');
    expect(location().searchParams.get('resourceId')).toBe('u42');
    expect(location().searchParams.has('page')).toBe(false);

    await user.selectOptions(screen.getByLabelText(/^Event type/), 'provisioning.');
    await waitFor(() => expect(location().searchParams.get('action')).toBe('provisioning.'));
    await user.selectOptions(screen.getByLabelText(/^Resource type/), 'Provisioning');
    await waitFor(() => expect(location().searchParams.get('resourceType')).toBe('Provisioning'));
    await waitFor(() =>
      expect(api.named('AuditLog').at(-1)!.variables).toEqual({
        filter: { actor: 'ada', idp: 'okta', action: 'provisioning.', resourceType: 'Provisioning', resourceId: 'u42' },
        first: 50,
        offset: 0,
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(location().search).toBe(''));
    await waitFor(() => expect(api.named('AuditLog').at(-1)!.variables).toEqual({ filter: null, first: 50, offset: 0 }));
  });

  it('reads the filters from the URL, time range included', async () => {
    const api = renderAudit('/audit?actor=ada&action=user.&since=2025-03-01T00%3A00%3A00.000Z&until=2025-03-02T00%3A00%3A00.000Z');
    await screen.findByRole('table', { name: 'Audit events' });
    expect(api.named('AuditLog')[0]!.variables).toEqual({
      filter: { actor: 'ada', action: 'user.', since: '2025-03-01T00:00:00.000Z', until: '2025-03-02T00:00:00.000Z' },
      first: 50,
      offset: 0,
    });
    expect(screen.getByLabelText(/^Actor/)).toHaveValue('ada');
    expect(screen.getByLabelText(/^Event type/)).toHaveValue('user.');
    expect((screen.getByLabelText(/^From/) as HTMLInputElement).value).toMatch(/^2025-0[23]-\d\dT\d\d:\d\d$/);
  });

  it('pages on the server and keeps the page in the URL', async () => {
    const user = userEvent.setup();
    const api = renderAudit('/audit?actor=ada');
    await screen.findByRole('table', { name: 'Audit events' });
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(location().searchParams.get('page')).toBe('2'));
    expect(location().searchParams.get('actor')).toBe('ada');
    await waitFor(() => expect(api.named('AuditLog').at(-1)!.variables).toEqual({ filter: { actor: 'ada' }, first: 50, offset: 50 }));
    expect(await screen.findByText('Events 51–53 of 120, newest first')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Page 3' }));
    await waitFor(() => expect(api.named('AuditLog').at(-1)!.variables).toMatchObject({ offset: 100 }));
  });

  it('says when nothing matches, and offers a retry on error', async () => {
    const user = userEvent.setup();
    let fail = true;
    renderAudit('/audit?actor=nobody', {
      AuditLog: () => (fail ? { errors: [{ message: 'since must not be after until.' }] } : { data: { auditLog: { nodes: [], totalCount: 0, hasNextPage: false } } }),
    });
    expect(await screen.findByText('since must not be after until.')).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No event matches these filters')).toBeInTheDocument();
  });

  it('tells a READER the page needs ADMIN', async () => {
    const api = renderAudit('/audit', {}, READER_VIEWER);
    expect(await screen.findByText('This page needs ADMIN')).toBeInTheDocument();
    expect(api.named('AuditLog')).toHaveLength(0);
  });
});
