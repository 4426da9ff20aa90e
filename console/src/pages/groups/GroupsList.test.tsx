import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { currentLocation, currentParams, renderConsole, type FakeOp } from '../users/testing';

const T = '2024-05-01T10:00:00.000Z';
const ENG = { id: 'g1', displayName: 'Engineering', source: 'okta', memberCount: 1200, lastModified: T, created: T };
const OPS = { id: 'g2', displayName: 'Ops', source: 'local', memberCount: 3, lastModified: T, created: T };

const answer =
  (total = 120) =>
  (op: FakeOp) => {
    if (op.name === 'Groups') return { data: { groups: { totalCount: total, nodes: total ? [ENG, OPS] : [] } } };
    if (op.name === 'ProvisioningIdps') return { data: { provisioning: [{ idp: 'okta' }] } };
    if (op.name === 'Group') return 'never' as const;
    return { error: `unexpected ${op.name}` };
  };

describe('Groups list', () => {
  it('shows rows with the Auth Provider and member count, and the totals', async () => {
    renderConsole('/groups?page=2&size=25', answer());
    const table = await screen.findByRole('table', { name: 'Groups' });
    expect(within(table).getByRole('columnheader', { name: 'Auth Provider' })).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Engineering');
    expect(rows[0]).toHaveTextContent('okta');
    expect(rows[0]).toHaveTextContent('1,200');
    expect(rows[1]).toHaveTextContent('Local');
    expect(screen.getByTestId('list-total')).toHaveTextContent('26–27 of 120 groups');
  });

  it('keeps search, filter, sort and page in the URL and asks the server for them', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/groups', answer());
    await screen.findByRole('table', { name: 'Groups' });
    await user.type(screen.getByLabelText('Search groups'), 'eng{Enter}');
    expect(currentParams().get('q')).toBe('eng');
    await waitFor(() => expect(fake.last('Groups')!.variables.filter).toEqual({ compare: { path: 'displayName', op: 'CO', value: 'eng' } }));

    await waitFor(() => expect(screen.getByRole('option', { name: 'okta' })).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Auth Provider'), 'Local');
    expect(currentParams().get('source')).toBe('local');
    await waitFor(() => expect(JSON.stringify(fake.last('Groups')!.variables.filter)).toContain('"path":"source","op":"EQ","value":"local"'));

    await user.click(screen.getByRole('button', { name: /^Created/ }));
    expect(currentParams().get('sort')).toBe('created');
    await waitFor(() => expect(fake.last('Groups')!.variables.orderBy).toEqual({ path: 'meta.created', direction: 'ASC' }));

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(currentParams().get('page')).toBe('2');
  });

  it('opens a group on a row click', async () => {
    const user = userEvent.setup();
    renderConsole('/groups', answer());
    await user.click(await screen.findByText('Ops'));
    expect(currentLocation()).toBe('/groups/g2');
  });

  it('shows the empty state and errors with a retry', async () => {
    renderConsole('/groups', answer(0));
    expect(await screen.findByText('No groups yet')).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    renderConsole('/groups', (op) => (op.name === 'Groups' ? { error: 'Database unavailable' } : answer()(op)));
    expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
