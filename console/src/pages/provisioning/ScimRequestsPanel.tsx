import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from 'urql';
import { QueryState } from '../../components';
import { formatDateTime, idpName } from './shared/format';
import { SCIM_REQUESTS_QUERY, type ScimRequestNode } from './queries';

/** How many recent requests the card shows (the server keeps the newest 100). */
const SHOWN = 20;

const statusColor = (status: number) => (status < 300 ? 'teal' : status < 400 ? 'blue' : status < 500 ? 'orange' : 'red');

/** Where to press in the IdP so that a first request shows up. */
function testHint(idp: string): string {
  const name = idp.toLowerCase();
  if (name.startsWith('okta')) return 'In Okta, press Test Connector Configuration.';
  if (name.startsWith('entra') || name.startsWith('azure')) return 'In Entra ID, press Test Connection in the provisioning settings.';
  return `In ${idpName(idp)}, test the SCIM connection.`;
}

/** The last SCIM requests seen from one IdP: does its "Test Connector Configuration" reach Roster? */
export function ScimRequestsPanel({ idp }: { idp: string }) {
  const [result, reexecute] = useQuery<{ scimRequests: ScimRequestNode[] }>({ query: SCIM_REQUESTS_QUERY, variables: { idp, first: SHOWN } });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const headingId = `scim-requests-${idp}`;

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between">
        <Title order={3} size="h5" id={headingId}>
          Recent SCIM requests
        </Title>
        <Button size="xs" variant="default" onClick={refresh} loading={result.fetching && result.data !== undefined} aria-label={`Refresh the SCIM requests from ${idp}`}>
          Refresh
        </Button>
      </Group>
      <QueryState
        result={result}
        onRetry={refresh}
        isEmpty={(d) => d.scimRequests.length === 0}
        emptyTitle={`No SCIM request from ${idp} yet.`}
        emptyText={`${testHint(idp)} Then refresh: requests show up here within a second or so.`}
      >
        {(d) => (
          <Table.ScrollContainer minWidth={520}>
            <Table striped highlightOnHover aria-label={`SCIM requests from ${idp}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Method</Table.Th>
                  <Table.Th>Path</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.scimRequests.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm" component="time" dateTime={r.at}>
                        {formatDateTime(r.at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {r.method}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {r.path}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={statusColor(r.status)} variant="light">
                        {r.status}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}
