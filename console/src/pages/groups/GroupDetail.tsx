import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Table, Tabs, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton, EmptyState, errorMessage, PageHeader, QueryState } from '../../components';
import { AuditTrail } from '../users/AuditTrail';
import { userSearch } from '../users/filters';
import { AuthProviderBadge, Pager, throwIfError, useCanAdminister, useKeep, useListParams } from '../users/shared';
import { ManagedNotice } from '../users/UserDetail';
import { ADD_MEMBERS, DELETE_GROUP, GROUP_QUERY, REMOVE_MEMBERS, USER_PICKER_QUERY, type GroupDetailData, type MemberRow, type PickUsersData } from './api';

type Group = NonNullable<GroupDetailData['group']>;

/** The Okta guide's warning, shown before an IdP-managed group is deleted. */
export const managedDeleteWarning = (source: string) => `This group is managed by ${source}. Unlink it in the IdP instead; Roster would recreate it on the next push.`;

/** Deleting an IdP-managed group: the warning, and the group's name typed to confirm; deleteGroup with force. */
function DeleteManagedGroup({ group, onDeleted }: { group: Group; onDeleted: () => void }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, remove] = useMutation(DELETE_GROUP);
  const confirm = async () => {
    setError(null);
    try {
      throwIfError(await remove({ id: group.id, force: true }));
      close();
      onDeleted();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Delete group
      </Button>
      <Modal opened={opened} onClose={fetching ? () => undefined : close} title={`Delete ${group.displayName}?`} centered>
        <Stack gap="sm">
          <Alert color="orange" role="note">
            {managedDeleteWarning(group.source)}
          </Alert>
          <Text size="sm">Deleting it here removes the group and its memberships from Roster now, and is audited.</Text>
          <TextInput label="Type the group name to confirm" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" />
          {error && (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={fetching}>
              Cancel
            </Button>
            <Button color="red" disabled={typed !== group.displayName} loading={fetching} onClick={() => void confirm()}>
              Delete anyway
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function DeleteLocalGroup({ group, onDeleted }: { group: Group; onDeleted: () => void }) {
  const [, remove] = useMutation(DELETE_GROUP);
  return (
    <ConfirmButton
      title={`Delete ${group.displayName}?`}
      confirmLabel="Delete"
      message={`The group and its ${group.memberCount.toLocaleString('en-US')} memberships are deleted; the members stay in the directory.`}
      onConfirm={async () => {
        throwIfError(await remove({ id: group.id, force: null }));
        onDeleted();
      }}
    >
      Delete group
    </ConfirmButton>
  );
}

/** Search users and add them to a local group one by one. */
function AddMembers({ group, existing, onAdded }: { group: Group; existing: Set<string>; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const [result] = useQuery<PickUsersData>({ query: USER_PICKER_QUERY, variables: { filter: userSearch(q) }, pause: !q });
  const [, add] = useMutation(ADD_MEMBERS);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string[]>([]);
  const pick = async (id: string) => {
    setError(null);
    const answer = await add({ id: group.id, members: [{ id, type: 'User' }] });
    if (answer.error) return setError(errorMessage(answer.error));
    setAdded([...added, id]);
    onAdded();
  };
  return (
    <Stack gap="xs">
      <TextInput label="Add members" description="Search users by userName, name or email" placeholder="Search users" type="search" value={text} onChange={(e) => setText(e.currentTarget.value)} />
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      {q && result.data && (
        <Stack gap={4} aria-label="Matching users" role="list">
          {result.data.users.nodes.length === 0 && (
            <Text size="sm" c="dimmed">
              No user matches.
            </Text>
          )}
          {result.data.users.nodes.map((u) => {
            const member = existing.has(u.id) || added.includes(u.id);
            return (
              <Group key={u.id} justify="space-between" role="listitem">
                <Text size="sm">
                  {u.displayName || u.userName}{' '}
                  <Text span c="dimmed">
                    {u.email ?? u.userName}
                  </Text>
                  {!u.active && (
                    <Badge ml="xs" size="xs" color="gray" variant="light">
                      Inactive
                    </Badge>
                  )}
                </Text>
                <Button size="xs" variant="light" disabled={member} onClick={() => void pick(u.id)} aria-label={`Add ${u.userName}`}>
                  {member ? 'Member' : 'Add'}
                </Button>
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}

function memberName(m: MemberRow): string {
  return m.display || m.user?.userName || m.group?.displayName || m.id;
}

/** /groups/:id: members paged (inactive ones labelled), add and remove for local groups, delete, audit. */
export default function GroupDetail() {
  const { id = '', tab = 'members' } = useParams();
  const navigate = useNavigate();
  const canAdminister = useCanAdminister();
  const list = useListParams('');
  const [result, reexecute] = useQuery<GroupDetailData>({ query: GROUP_QUERY, variables: { id, limit: list.size, offset: (list.page - 1) * list.size } });
  const data = useKeep(result.data);
  const [, removeMembers] = useMutation(REMOVE_MEMBERS);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const current = tab === 'audit' ? 'audit' : 'members';

  return (
    <>
      <Anchor component={Link} to="/groups" size="sm">
        ← Groups
      </Anchor>
      <QueryState<GroupDetailData> result={{ ...result, data }} onRetry={refresh} isEmpty={(d) => !d.group} emptyTitle="Group not found" emptyText="No group has this id: it may have been deleted.">
        {({ group }) => {
          if (!group) return <EmptyState title="Group not found" />;
          const local = group.source === 'local';
          const canChange = canAdminister && local;
          const members = group.members.nodes;
          const onDeleted = () => void navigate('/groups', { replace: true });
          return (
            <Stack gap="md" mt="sm">
              <PageHeader
                title={group.displayName}
                description={
                  <Group gap="xs" component="span">
                    <span>{group.memberCount.toLocaleString('en-US')} members</span>
                    <span>Auth Provider:</span>
                    <AuthProviderBadge source={group.source} />
                  </Group>
                }
                actions={canAdminister ? local ? <DeleteLocalGroup group={group} onDeleted={onDeleted} /> : <DeleteManagedGroup group={group} onDeleted={onDeleted} /> : undefined}
              />
              {!local && <ManagedNotice source={group.source} />}
              <Tabs value={current} onChange={(value) => value && void navigate(`/groups/${group.id}/${value}`)} keepMounted={false}>
                <Tabs.List aria-label="Group details">
                  <Tabs.Tab value="members">Members</Tabs.Tab>
                  <Tabs.Tab value="audit">Audit</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="members" pt="md">
                  <Stack gap="md">
                    {canChange && <AddMembers group={group} existing={new Set(members.map((m) => m.id))} onAdded={refresh} />}
                    {group.memberCount === 0 ? (
                      <EmptyState title="No members">{local ? 'Add members above.' : `Members come from ${group.source}.`}</EmptyState>
                    ) : (
                      <>
                        <Table striped>
                          <Table.Caption>Members</Table.Caption>
                          <Table.Thead>
                            <Table.Tr>
                              <Table.Th>Member</Table.Th>
                              <Table.Th>Type</Table.Th>
                              <Table.Th>Email</Table.Th>
                              <Table.Th>Status</Table.Th>
                              {canChange && (
                                <Table.Th>
                                  <VisuallyHidden>Actions</VisuallyHidden>
                                </Table.Th>
                              )}
                            </Table.Tr>
                          </Table.Thead>
                          <Table.Tbody>
                            {members.map((m) => (
                              <Table.Tr key={m.id}>
                                <Table.Td>
                                  {m.user ? (
                                    <Anchor component={Link} to={`/users/${m.user.id}`}>
                                      {memberName(m)}
                                    </Anchor>
                                  ) : m.group ? (
                                    <Anchor component={Link} to={`/groups/${m.group.id}`}>
                                      {memberName(m)}
                                    </Anchor>
                                  ) : (
                                    memberName(m)
                                  )}
                                </Table.Td>
                                <Table.Td>{m.type}</Table.Td>
                                <Table.Td>{m.user?.email ?? '—'}</Table.Td>
                                <Table.Td>
                                  {m.user && !m.user.active ? (
                                    <Badge color="gray" variant="light">
                                      Inactive
                                    </Badge>
                                  ) : m.user ? (
                                    <Badge color="green" variant="light">
                                      Active
                                    </Badge>
                                  ) : (
                                    '—'
                                  )}
                                </Table.Td>
                                {canChange && (
                                  <Table.Td>
                                    <ConfirmButton
                                      title={`Remove ${memberName(m)}?`}
                                      confirmLabel="Remove"
                                      message={`${memberName(m)} leaves ${group.displayName}; they stay in the directory.`}
                                      onConfirm={async () => {
                                        throwIfError(await removeMembers({ id: group.id, memberIds: [m.id] }));
                                        refresh();
                                      }}
                                    >
                                      Remove<VisuallyHidden>{` ${memberName(m)}`}</VisuallyHidden>
                                    </ConfirmButton>
                                  </Table.Td>
                                )}
                              </Table.Tr>
                            ))}
                          </Table.Tbody>
                        </Table>
                        <Pager list={list} total={group.memberCount} shown={members.length} fetching={result.fetching} noun="members" />
                      </>
                    )}
                  </Stack>
                </Tabs.Panel>
                <Tabs.Panel value="audit" pt="md">
                  <AuditTrail resourceId={group.id} />
                </Tabs.Panel>
              </Tabs>
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
}
