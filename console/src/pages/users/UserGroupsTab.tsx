import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '../../components';
import { USER_GROUPS_QUERY, type UserGroupsData } from './api';
import { AuthProviderBadge } from './shared';

/** The groups a user directly belongs to, each a link to the group. */
export function UserGroupsTab({ id }: { id: string }) {
  const [result, reexecute] = useQuery<UserGroupsData>({ query: USER_GROUPS_QUERY, variables: { id } });
  return (
    <QueryState<UserGroupsData>
      result={result}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      isEmpty={(d) => (d.user?.groups.length ?? 0) === 0}
      emptyTitle="In no group"
      emptyText="This user belongs to no group."
    >
      {(d) => (
        <Table striped>
          <Table.Caption>Groups of this user</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th>Auth Provider</Table.Th>
              <Table.Th>Members</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.user!.groups.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/groups/${g.id}`}>
                    {g.displayName}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <AuthProviderBadge source={g.source} />
                </Table.Td>
                <Table.Td>{g.memberCount.toLocaleString('en-US')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}
