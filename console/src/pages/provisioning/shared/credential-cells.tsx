import { Badge, Table, Text } from '@mantine/core';
import { formatDateTime } from './format';

/** What API keys and SCIM tokens show alike. */
export interface CredentialTimes {
  prefix: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

/** The cells an API key and a SCIM token share: prefix, created, last used, valid or revoked. */
export function CredentialCells({ credential: c }: { credential: CredentialTimes }) {
  return (
    <>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {c.prefix}…
        </Text>
      </Table.Td>
      <Table.Td>{formatDateTime(c.createdAt)}</Table.Td>
      <Table.Td>{c.lastUsedAt ? formatDateTime(c.lastUsedAt) : 'Never'}</Table.Td>
      <Table.Td>
        {c.revokedAt ? (
          <Badge color="gray" variant="light" title={`Revoked ${formatDateTime(c.revokedAt)}`}>
            Revoked
          </Badge>
        ) : (
          <Badge color="teal" variant="light">
            Valid
          </Badge>
        )}
      </Table.Td>
    </>
  );
}
