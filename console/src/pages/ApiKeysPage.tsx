import { Badge, Card, Stack, Table, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton, GenerateOnceSecret, PageHeader, QueryState } from '../components';
import { CreateApiKeyForm } from './api-keys/CreateApiKeyForm';
import { API_KEYS_QUERY, REVOKE_CREDENTIAL, type CredentialNode } from './api-keys/queries';
import { ADMIN_ROLES, AdminOnly, useViewerCredentialName, useViewerRole } from './provisioning/shared/admin-only';
import { CredentialCells } from './provisioning/shared/credential-cells';
import { throwIfError } from './provisioning/shared/format';

/** API keys: list, create (the key is shown once), revoke. */
export default function ApiKeysPage() {
  const role = useViewerRole();
  const isAdmin = !!role && ADMIN_ROLES.includes(role);
  return (
    <>
      <PageHeader title="API keys" description="Keys for scripts and services that call Roster's GraphQL API, and for signing in to this console." />
      <AdminOnly what="API keys">{isAdmin && <ApiKeys viewerRole={role} />}</AdminOnly>
    </>
  );
}

function ApiKeys({ viewerRole }: { viewerRole: string }) {
  const sessionKey = useViewerCredentialName();
  const [result, reexecute] = useQuery<{ credentials: CredentialNode[] }>({ query: API_KEYS_QUERY });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const data = result.data && { credentials: result.data.credentials ?? [] };
  const [, revoke] = useMutation(REVOKE_CREDENTIAL);
  // The key just created, shown once: in memory only, gone after a reload.
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const onRevoke = async (id: string) => {
    const r = await revoke({ id });
    throwIfError(r.error);
    refresh();
  };

  return (
    <Stack gap="lg">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <CreateApiKeyForm
            viewerRole={viewerRole}
            onCreated={(name, secret) => {
              setCreated({ name, secret });
              refresh();
            }}
          />
          {created && <GenerateOnceSecret label={`API key ${created.name}`} secret={created.secret} onDone={() => setCreated(null)} />}
        </Stack>
      </Card>
      <QueryState
        result={{ ...result, data }}
        onRetry={refresh}
        isEmpty={(d) => d.credentials.every((c) => c.kind !== 'api_key')}
        emptyTitle="No API keys"
        emptyText="Create an API key for a script or service that reads or manages the directory."
      >
        {(d) => (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="API keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.credentials
                  .filter((c) => c.kind === 'api_key')
                  .map((k) => {
                    const own = !!sessionKey && k.name === sessionKey;
                    const forbidden = k.role === 'OWNER' && viewerRole !== 'OWNER';
                    return (
                      <Table.Tr key={k.id}>
                        <Table.Td>
                          {k.name}
                          {own && (
                            <Badge ml="xs" size="xs" variant="light">
                              this session
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>{k.role}</Table.Td>
                        <CredentialCells credential={k} />
                        <Table.Td>
                          {!k.revokedAt && (
                            <ConfirmButton
                              title={`Revoke the API key ${k.name}?`}
                              message={
                                own
                                  ? `This is the key of your current session: revoking it signs you out of the console at once, and every script using ${k.name} is refused.`
                                  : `Every request made with ${k.name} is refused at once, and console sessions opened with it end.`
                              }
                              confirmLabel="Revoke"
                              variant="subtle"
                              disabled={forbidden}
                              onConfirm={() => onRevoke(k.id)}
                            >
                              Revoke<VisuallyHidden> API key {k.name}</VisuallyHidden>
                            </ConfirmButton>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}
