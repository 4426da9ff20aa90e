import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { currentLocation, currentParams, renderConsole, userRow, type FakeOp } from './testing';

const ADA = userRow({ id: 'u1', userName: 'ada@example.com', displayName: 'Ada Lovelace', email: 'ada@example.com', source: 'okta' });
const GRACE = userRow({ id: 'u2', userName: 'grace', name: { formatted: null, givenName: 'Grace', familyName: 'Hopper' }, email: 'grace@example.com', active: false });

const answer =
  (total = 1234) =>
  (op: FakeOp) => {
    if (op.name === 'Users') {
      const limit = Number(op.variables.limit);
      const offset = Number(op.variables.offset);
      const filler = Array.from({ length: Math.max(0, Math.min(limit, total - offset) - 2) }, (_, i) => userRow({ id: `f${i}`, userName: `filler${i}` }));
      return { data: { users: { totalCount: total, nodes: total ? [ADA, GRACE, ...filler] : [] } } };
    }
    if (op.name === 'ProvisioningIdps') return { data: { provisioning: [{ idp: 'okta' }, { idp: 'entra' }] } };
    return { error: `unexpected ${op.name}` };
  };

describe('Users list', () => {
  it('shows the rows with the Auth Provider column and exact totals', async () => {
    renderConsole('/users', answer());
    const table = await screen.findByRole('table', { name: 'Users' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers.some((h) => h?.startsWith('Name'))).toBe(true);
    expect(headers).toContain('Auth Provider');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(50);
    expect(rows[0]).toHaveTextContent('Ada Lovelace');
    expect(rows[0]).toHaveTextContent('okta');
    expect(rows[0]).toHaveTextContent('Active');
    expect(rows[1]).toHaveTextContent('Grace Hopper');
    expect(rows[1]).toHaveTextContent('Local');
    expect(rows[1]).toHaveTextContent('Inactive');
    expect(screen.getByTestId('list-total')).toHaveTextContent('1–50 of 1,234 users');
  });

  it('asks the server for one page, sorted, with the filters from the URL', async () => {
    const fake = renderConsole('/users?q=ada&active=no&source=okta&sort=lastModified&dir=desc&page=3&size=25', answer());
    await screen.findByRole('table', { name: 'Users' });
    const vars = fake.last('Users')!.variables;
    expect(vars).toMatchObject({ limit: 25, offset: 50, orderBy: { path: 'meta.lastModified', direction: 'DESC' } });
    const filter = vars.filter as { and: unknown[] };
    expect(filter.and).toHaveLength(3);
    expect(JSON.stringify(filter.and[0])).toContain('"path":"emails.value","op":"CO","value":"ada"');
    expect(filter.and[1]).toEqual({ compare: { path: 'active', op: 'EQ', value: false } });
    expect(filter.and[2]).toEqual({ compare: { path: 'source', op: 'EQ', value: 'okta' } });
    expect(screen.getByTestId('list-total')).toHaveTextContent('51–75 of 1,234');
    expect(screen.getByLabelText('Search users')).toHaveValue('ada');
  });

  it('keeps search, filters, sort and page in the URL', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/users', answer());
    await screen.findByRole('table', { name: 'Users' });

    await user.type(screen.getByLabelText('Search users'), 'grace');
    await waitFor(() => expect(currentParams().get('q')).toBe('grace'));
    await waitFor(() => expect(JSON.stringify(fake.last('Users')!.variables.filter)).toContain('grace'));

    await user.selectOptions(screen.getByLabelText('Status'), 'Inactive');
    expect(currentParams().get('active')).toBe('no');

    await waitFor(() => expect(screen.getByRole('option', { name: 'entra' })).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText('Auth Provider'), 'okta');
    expect(currentParams().get('source')).toBe('okta');

    await user.click(screen.getByRole('button', { name: /^Last change/ }));
    expect(currentParams().get('sort')).toBe('lastModified');
    expect(currentParams().get('dir')).toBe('asc');
    await user.click(screen.getByRole('button', { name: /^Last change/ }));
    expect(currentParams().get('dir')).toBe('desc');
    expect(screen.getByRole('columnheader', { name: /Last change/ })).toHaveAttribute('aria-sort', 'descending');

    await user.click(screen.getByRole('button', { name: 'Page 2' }));
    expect(currentParams().get('page')).toBe('2');
    await waitFor(() => expect(fake.last('Users')!.variables.offset).toBe(50));

    await user.selectOptions(screen.getByLabelText('Rows per page'), '100');
    expect(currentParams().get('size')).toBe('100');
    // A new page size starts again at page 1.
    expect(currentParams().get('page')).toBeNull();
  });

  it('opens the user on a row click', async () => {
    const user = userEvent.setup();
    renderConsole('/users', (op) => (op.name === 'User' ? 'never' : answer()(op)));
    await user.click(await screen.findByText('grace'));
    expect(currentLocation()).toBe('/users/u2');
  });

  it('says when nothing matches, and when there are no users', async () => {
    renderConsole('/users?q=zzz', answer(0));
    expect(await screen.findByText('No users match')).toBeInTheDocument();
  });

  it('shows the empty directory', async () => {
    renderConsole('/users', answer(0));
    expect(await screen.findByText('No users yet')).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    const user = userEvent.setup();
    let fail = true;
    renderConsole('/users', (op) => (op.name === 'Users' && fail ? { error: 'Cannot filter by "source".' } : answer()(op)));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot filter by "source".');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('table', { name: 'Users' })).toBeInTheDocument();
  });

  it('shows a loader while the list loads', async () => {
    renderConsole('/users', (op) => (op.name === 'Users' ? 'never' : answer()(op)));
    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    expect(screen.getByLabelText('Loading')).toBeInTheDocument();
  });

  it('lets a READER filter by Local and the chosen IdP without listing provisioning', async () => {
    const fake = renderConsole('/users?source=okta', answer(), 'READER');
    await screen.findByRole('table', { name: 'Users' });
    expect(fake.calls.some((c) => c.name === 'ProvisioningIdps')).toBe(false);
    expect(screen.getByRole('option', { name: 'okta' })).toBeInTheDocument();
  });
});
