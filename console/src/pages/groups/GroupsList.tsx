import { Anchor, Group, Table } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { PageHeader, QueryState } from '../../components';
import { allOf, co, sourceFilter } from '../users/filters';
import { AuthProviderBadge, AuthProviderFilter, Pager, SortButton, sortProps, TimeAgo, useKeep, useListParams, type ListParams } from '../users/shared';
import { SearchBox } from '../users/UsersList';
import { GROUPS_QUERY, type GroupsData, type GroupsVars } from './api';

export const GROUP_SORTS: Record<string, string> = { displayName: 'displayName', lastModified: 'meta.lastModified', created: 'meta.created' };

export function groupsVariables(list: ListParams): GroupsVars {
  const q = list.q.trim();
  return {
    filter: allOf([q ? co('displayName', q) : null, sourceFilter(list.get('source'))]),
    orderBy: { path: GROUP_SORTS[list.sort] ?? 'displayName', direction: list.dir === 'desc' ? 'DESC' : 'ASC' },
    limit: list.size,
    offset: (list.page - 1) * list.size,
  };
}

/** User Management > Groups: search, Auth Provider filter, sort and pages on the server, all in the URL. */
export default function GroupsList() {
  const list = useListParams('displayName');
  const navigate = useNavigate();
  const [result, reexecute] = useQuery<GroupsData, GroupsVars>({ query: GROUPS_QUERY, variables: groupsVariables(list) });
  const data = useKeep(result.data);
  const filtered = Boolean(list.q || list.get('source'));
  return (
    <>
      <PageHeader title="Groups" description="Groups and their members, from every identity provider." />
      <Group align="flex-end" mb="md" wrap="wrap">
        <SearchBox list={list} label="Search groups" placeholder="displayName" />
        <AuthProviderFilter list={list} />
      </Group>
      <QueryState<GroupsData>
        result={{ ...result, data }}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
        isEmpty={(d) => !d.groups || (d.groups.totalCount === 0 && d.groups.nodes.length === 0)}
        emptyTitle={filtered ? 'No groups match' : 'No groups yet'}
        emptyText={filtered ? 'Change the search or the filter.' : 'Groups appear here once an identity provider pushes them over SCIM.'}
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={700}>
              <Table highlightOnHover striped>
                <Table.Caption>Groups</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th {...sortProps(list, 'displayName')}>
                      <SortButton list={list} sortKey="displayName">
                        Name
                      </SortButton>
                    </Table.Th>
                    <Table.Th>Auth Provider</Table.Th>
                    <Table.Th>Members</Table.Th>
                    <Table.Th {...sortProps(list, 'lastModified')}>
                      <SortButton list={list} sortKey="lastModified">
                        Last change
                      </SortButton>
                    </Table.Th>
                    <Table.Th {...sortProps(list, 'created')}>
                      <SortButton list={list} sortKey="created">
                        Created
                      </SortButton>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.groups.nodes.map((g) => (
                    <Table.Tr key={g.id} onClick={() => void navigate(`/groups/${g.id}`)} style={{ cursor: 'pointer' }}>
                      <Table.Td>
                        <Anchor component={Link} to={`/groups/${g.id}`} onClick={(e) => e.stopPropagation()}>
                          {g.displayName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <AuthProviderBadge source={g.source} />
                      </Table.Td>
                      <Table.Td>{g.memberCount.toLocaleString('en-US')}</Table.Td>
                      <Table.Td>
                        <TimeAgo iso={g.lastModified} />
                      </Table.Td>
                      <Table.Td>
                        <TimeAgo iso={g.created} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager list={list} total={d.groups.totalCount} shown={d.groups.nodes.length} fetching={result.fetching} noun="groups" />
          </>
        )}
      </QueryState>
    </>
  );
}
