import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { currentLocation, renderConsole, type FakeOp } from '../users/testing';

const T = '2024-05-01T10:00:00.000Z';
const member = (id: string, userName: string, active: boolean) => ({
  id,
  type: 'User',
  display: userName,
  user: { id, userName, active, email: `${userName}@example.com`, source: 'okta' },
  group: null,
});
const group = (source: string, over: Record<string, unknown> = {}) => ({
  id: 'g1',
  displayName: 'Engineering',
  source,
  memberCount: 2,
  lastModified: T,
  created: T,
  externalId: null,
  version: 4,
  members: { nodes: [member('u1', 'ada', true), member('u2', 'grace', false)] },
  ...over,
});

function handler(g: ReturnType<typeof group>) {
  return (op: FakeOp) => {
    if (op.name === 'Group') return { data: { group: g } };
    if (op.name === 'PickUsers') return { data: { users: { nodes: [{ id: 'u3', userName: 'linus', displayName: 'Linus', email: 'linus@example.com', active: true }] } } };
    if (op.name === 'AddGroupMembers') return { data: { addGroupMembers: { id: 'g1', memberCount: 3, version: 5 } } };
    if (op.name === 'RemoveGroupMembers') return { data: { removeGroupMembers: { id: 'g1', memberCount: 1, version: 5 } } };
    if (op.name === 'DeleteGroup') return { data: { deleteGroup: 'g1' } };
    if (op.name === 'Groups') return { data: { groups: { totalCount: 0, nodes: [] } } };
    if (op.name === 'ProvisioningIdps') return { data: { provisioning: [] } };
    return { error: `unexpected ${op.name}` };
  };
}

describe('Group detail', () => {
  it('lists members paged, labels inactive ones, and offers no changes for an IdP-managed group', async () => {
    const fake = renderConsole('/groups/g1', handler(group('okta')));
    const table = await screen.findByRole('table', { name: 'Members' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[1]).toHaveTextContent('grace');
    expect(rows[1]).toHaveTextContent('Inactive');
    expect(screen.getByTestId('managed-notice')).toHaveTextContent('Managed by okta');
    expect(screen.queryByLabelText('Add members')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Remove/ })).not.toBeInTheDocument();
    expect(fake.last('Group')!.variables).toEqual({ id: 'g1', limit: 50, offset: 0 });
    expect(screen.getByTestId('list-total')).toHaveTextContent('1–2 of 2 members');
  });

  it('deletes an IdP-managed group only after the warning and the typed name, with force', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/groups/g1', handler(group('okta')));
    await user.click(await screen.findByRole('button', { name: 'Delete group' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Engineering?' });
    expect(dialog).toHaveTextContent('This group is managed by okta. Unlink it in the IdP instead; Roster would recreate it on the next push.');
    const confirm = within(dialog).getByRole('button', { name: 'Delete anyway' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Type the group name to confirm'), 'Engineerin');
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Type the group name to confirm'), 'g');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    await waitFor(() => expect(fake.last('DeleteGroup')?.variables).toEqual({ id: 'g1', force: true }));
    await waitFor(() => expect(currentLocation()).toBe('/groups'));
  });

  it('adds and removes members of a local group', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/groups/g1', handler(group('local')));
    await user.type(await screen.findByLabelText('Add members'), 'lin');
    await user.click(await screen.findByRole('button', { name: 'Add linus' }));
    await waitFor(() => expect(fake.last('AddGroupMembers')?.variables).toEqual({ id: 'g1', members: [{ id: 'u3', type: 'User' }] }));
    expect(JSON.stringify(fake.last('PickUsers')!.variables.filter)).toContain('"value":"lin"');

    await user.click(screen.getByRole('button', { name: 'Remove grace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove grace?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.last('RemoveGroupMembers')?.variables).toEqual({ id: 'g1', memberIds: ['u2'] }));
  });

  it('deletes a local group after a plain confirmation, without force', async () => {
    const user = userEvent.setup();
    const fake = renderConsole('/groups/g1', handler(group('local')));
    await user.click(await screen.findByRole('button', { name: 'Delete group' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(fake.last('DeleteGroup')?.variables).toEqual({ id: 'g1', force: null }));
  });

  it('hides every action from a READER', async () => {
    renderConsole('/groups/g1', handler(group('local')), 'READER');
    await screen.findByRole('table', { name: 'Members' });
    expect(screen.queryByRole('button', { name: 'Delete group' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Add members')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Remove/ })).not.toBeInTheDocument();
  });

  it('says when a group has no members, and when it does not exist', async () => {
    renderConsole('/groups/g1', handler(group('local', { memberCount: 0, members: { nodes: [] } })));
    expect(await screen.findByText('No members')).toBeInTheDocument();
  });

  it('says when the group does not exist', async () => {
    renderConsole('/groups/nope', () => ({ data: { group: null } }));
    expect(await screen.findByText('Group not found')).toBeInTheDocument();
  });
});
