import { Anchor, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { PageHeader, QueryState } from '../../components';
import { personName, USERS_QUERY, type UsersData, type UsersVars } from './api';
import { allOf, eq, sourceFilter, userSearch } from './filters';
import { AuthProviderBadge, AuthProviderFilter, Pager, SortButton, sortProps, StatusBadge, TimeAgo, useKeep, useListParams, type ListParams } from './shared';

/** The URL's sort keys and the attribute paths the server sorts by. */
export const USER_SORTS: Record<string, string> = {
  userName: 'userName',
  name: 'name.familyName',
  lastModified: 'meta.lastModified',
  created: 'meta.created',
};

export function usersVariables(list: ListParams): UsersVars {
  const active = list.get('active');
  return {
    filter: allOf([userSearch(list.q), active === 'yes' ? eq('active', true) : active === 'no' ? eq('active', false) : null, sourceFilter(list.get('source'))]),
    orderBy: { path: USER_SORTS[list.sort] ?? 'userName', direction: list.dir === 'desc' ? 'DESC' : 'ASC' },
    limit: list.size,
    offset: (list.page - 1) * list.size,
  };
}

/** A search box that writes to the URL a moment after typing stops (and at once on Enter). */
export function SearchBox({ list, label, placeholder }: { list: ListParams; label: string; placeholder: string }) {
  const [text, setText] = useState(list.q);
  const [seen, setSeen] = useState(list.q);
  // The URL changed under us (Back, a link): show its search.
  if (list.q !== seen) {
    setSeen(list.q);
    setText(list.q);
  }
  const push = useDebouncedCallback((value: string) => list.update({ q: value.trim() }, { replace: true }), 300);
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      type="search"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        push(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          push.cancel?.();
          list.update({ q: text.trim() });
        }
      }}
      style={{ flex: 1, minWidth: 220 }}
    />
  );
}

/** User Management > Users: search, filters, sort and pages on the server, all in the URL. */
export default function UsersList() {
  const list = useListParams('userName');
  const navigate = useNavigate();
  const variables = usersVariables(list);
  const [result, reexecute] = useQuery<UsersData, UsersVars>({ query: USERS_QUERY, variables });
  const data = useKeep(result.data);
  const filtered = Boolean(list.q || list.get('active') || list.get('source'));

  return (
    <>
      <PageHeader title="Users" description="People in the directory, from every identity provider." />
      <Group align="flex-end" mb="md" wrap="wrap">
        <SearchBox list={list} label="Search users" placeholder="userName, name or email" />
        <NativeSelect
          label="Status"
          data={[
            { value: '', label: 'All' },
            { value: 'yes', label: 'Active' },
            { value: 'no', label: 'Inactive' },
          ]}
          value={list.get('active')}
          onChange={(e) => list.update({ active: e.currentTarget.value })}
        />
        <AuthProviderFilter list={list} />
      </Group>
      <QueryState<UsersData>
        result={{ ...result, data }}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
        isEmpty={(d) => !d.users || (d.users.totalCount === 0 && d.users.nodes.length === 0)}
        emptyTitle={filtered ? 'No users match' : 'No users yet'}
        emptyText={filtered ? 'Change the search or the filters.' : 'Users appear here once an identity provider provisions them over SCIM.'}
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={800}>
              <Table highlightOnHover striped>
                <Table.Caption>Users</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th {...sortProps(list, 'name')}>
                      <SortButton list={list} sortKey="name">
                        Name
                      </SortButton>
                    </Table.Th>
                    <Table.Th {...sortProps(list, 'userName')}>
                      <SortButton list={list} sortKey="userName">
                        userName
                      </SortButton>
                    </Table.Th>
                    <Table.Th>Email</Table.Th>
                    {/* wide enough for the Inactive badge: a narrow column cut it to "INAC…" */}
                    <Table.Th miw={96}>Status</Table.Th>
                    <Table.Th>Auth Provider</Table.Th>
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
                  {d.users.nodes.map((u) => (
                    <Table.Tr key={u.id} onClick={() => void navigate(`/users/${u.id}`)} style={{ cursor: 'pointer' }}>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${u.id}`} onClick={(e) => e.stopPropagation()}>
                          {personName(u) || u.userName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{u.userName}</Table.Td>
                      <Table.Td>
                        {u.email ?? (
                          <Text span c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge active={u.active} />
                      </Table.Td>
                      <Table.Td>
                        <AuthProviderBadge source={u.source} />
                      </Table.Td>
                      <Table.Td>
                        <TimeAgo iso={u.lastModified} />
                      </Table.Td>
                      <Table.Td>
                        <TimeAgo iso={u.created} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager list={list} total={d.users.totalCount} shown={d.users.nodes.length} fetching={result.fetching} noun="users" />
          </>
        )}
      </QueryState>
    </>
  );
}
