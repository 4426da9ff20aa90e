import { Alert, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '../../components';
import { AUDIT_QUERY, type AuditData } from './api';
import { rangeText, TimeAgo, useCanAdminister, useKeep } from './shared';

const PAGE = 50;

/** The audit trail of one user or group, newest first (OWNER and ADMIN read it). */
export function AuditTrail({ resourceId }: { resourceId: string }) {
  const allowed = useCanAdminister();
  const [offset, setOffset] = useState(0);
  const [result, reexecute] = useQuery<AuditData>({ query: AUDIT_QUERY, variables: { filter: { resourceId }, first: PAGE, offset }, pause: !allowed });
  const data = useKeep(result.data);
  if (!allowed)
    return (
      <Alert color="gray" role="note">
        Only an OWNER or ADMIN can read the audit trail.
      </Alert>
    );
  return (
    <QueryState<AuditData>
      result={{ ...result, data }}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      isEmpty={(d) => !d.auditLog || (d.auditLog.totalCount === 0 && d.auditLog.nodes.length === 0)}
      emptyTitle="No audit events"
      emptyText="Nothing has been recorded about this resource."
    >
      {(d) => (
        <>
          <Table.ScrollContainer minWidth={700}>
            <Table striped>
              <Table.Caption>Audit trail</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Changed</Table.Th>
                  <Table.Th>Request</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.auditLog.nodes.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <TimeAgo iso={e.at} />
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" tt="none">
                        {e.action}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{e.actor}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{e.changed.join(', ') || '—'}</Text>
                      {e.ignored.length > 0 && (
                        <Text size="xs" c="orange">
                          ignored: {e.ignored.join(', ')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {e.requestId ?? '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" mt="sm">
            <Text size="sm" c="dimmed">
              {rangeText(offset, d.auditLog.nodes.length, d.auditLog.totalCount)} events
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} aria-label="Newer events">
                Newer
              </Button>
              <Button size="xs" variant="default" disabled={!d.auditLog.hasNextPage} onClick={() => setOffset(offset + PAGE)} aria-label="Older events">
                Older
              </Button>
            </Group>
          </Group>
        </>
      )}
    </QueryState>
  );
}
