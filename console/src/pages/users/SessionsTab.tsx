import { Alert, Badge, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton, QueryState } from '../../components';
import { REVOKE_SESSION, SESSIONS_QUERY, type SessionsData } from './api';
import { exactTime, throwIfError, TimeAgo, useCanAdminister } from './shared';

/** A user's sign-in sessions; OWNER and ADMIN see them and may revoke a live one. */
export function SessionsTab({ userId }: { userId: string }) {
  const allowed = useCanAdminister();
  const [includeEnded, setIncludeEnded] = useState(false);
  const [result, reexecute] = useQuery<SessionsData>({ query: SESSIONS_QUERY, variables: { userId, includeEnded }, pause: !allowed });
  const [, revoke] = useMutation(REVOKE_SESSION);
  if (!allowed)
    return (
      <Alert color="gray" role="note">
        Only an OWNER or ADMIN can see and revoke sessions.
      </Alert>
    );
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <>
      <Switch label="Include ended sessions" checked={includeEnded} onChange={(e) => setIncludeEnded(e.currentTarget.checked)} mb="md" />
      <QueryState<SessionsData>
        result={result}
        onRetry={refresh}
        isEmpty={(d) => !d.sessions || d.sessions.length === 0}
        emptyTitle="No sessions"
        emptyText={includeEnded ? 'This user has never signed in.' : 'This user is not signed in anywhere.'}
      >
        {(d) => (
          <Table.ScrollContainer minWidth={800}>
            <Table striped>
              <Table.Caption>Sessions</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Signed in</Table.Th>
                  <Table.Th>Last seen</Table.Th>
                  <Table.Th>IdP</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Address</Table.Th>
                  <Table.Th>Browser</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.sessions.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <TimeAgo iso={s.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <TimeAgo iso={s.lastSeenAt} />
                    </Table.Td>
                    <Table.Td>{s.idp}</Table.Td>
                    <Table.Td>{s.role}</Table.Td>
                    <Table.Td>{s.address ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="xs" lineClamp={2} title={s.userAgent ?? undefined}>
                        {s.userAgent ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {s.endedAt ? (
                        <Badge variant="light" color="gray" title={exactTime(s.endedAt)}>
                          Ended ({s.endReason ?? 'ended'})
                        </Badge>
                      ) : (
                        <Badge variant="light" color="green" title={`Expires ${exactTime(s.expiresAt)}`}>
                          Live
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!s.endedAt && (
                        <ConfirmButton
                          title="Revoke this session?"
                          confirmLabel="Revoke"
                          message={`The browser signed in ${exactTime(s.createdAt)}${s.address ? ` from ${s.address}` : ''} is signed out at once; its next request is refused.`}
                          onConfirm={async () => {
                            throwIfError(await revoke({ id: s.id }));
                            refresh();
                          }}
                        >
                          Revoke<VisuallyHidden>{` session signed in ${exactTime(s.createdAt)}`}</VisuallyHidden>
                        </ConfirmButton>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </>
  );
}
