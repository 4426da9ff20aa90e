import { Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmButton, EmptyState } from '../../components';
import { CredentialCells } from './shared/credential-cells';
import { throwIfError } from './shared/format';
import { ISSUE_SCIM_TOKEN, REVOKE_CREDENTIAL, ROTATE_SCIM_TOKEN, type CredentialNode } from './queries';

export interface ScimTokensProps {
  idp: string;
  active: boolean;
  tokens: CredentialNode[];
  /** A token was issued: show it once. */
  onIssued: (secret: string) => void;
  /** Something changed: load the page again. */
  onChanged: () => void;
}

/** An IdP's SCIM tokens: generate one more (overlapping), replace them all, revoke one. */
export function ScimTokens({ idp, active, tokens, onIssued, onChanged }: ScimTokensProps) {
  const [, issue] = useMutation(ISSUE_SCIM_TOKEN);
  const [, rotate] = useMutation(ROTATE_SCIM_TOKEN);
  const [, revoke] = useMutation(REVOKE_CREDENTIAL);
  const [generating, setGenerating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const live = tokens.filter((t) => !t.revokedAt);
  const headingId = `scim-tokens-${idp}`;

  // One more token, named by its day so that the admin can tell it from the old one; none is revoked.
  const generate = async () => {
    setGenerating(true);
    setError(null);
    try {
      const r = await issue({ idp, name: `SCIM token for ${idp}, ${new Date().toISOString().slice(0, 10)}` });
      throwIfError(r.error);
      onIssued((r.data as { issueScimToken: { secret: string } }).issueScimToken.secret);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setGenerating(false);
    }
  };

  const replaceAll = async () => {
    const r = await rotate({ idp });
    throwIfError(r.error);
    onIssued((r.data as { rotateScimToken: { secret: string } }).rotateScimToken.secret);
    onChanged();
  };

  const revokeOne = async (id: string) => {
    const r = await revoke({ id });
    throwIfError(r.error);
    onChanged();
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="flex-start">
        <Title order={3} size="h5" id={headingId}>
          Tokens
        </Title>
        <Group gap="xs">
          <Button size="xs" onClick={() => void generate()} loading={generating} disabled={!active} aria-label={`Generate a new token for ${idp}`}>
            Generate a new token
          </Button>
          <ConfirmButton
            title={`Replace every token of ${idp}?`}
            message={`Roster issues a new token and revokes the ${live.length === 1 ? 'current one' : `${live.length} current ones`} at once: ${idp}'s provisioning fails until you paste the new token. To rotate without a gap, generate a new token instead and revoke the old one afterwards.`}
            confirmLabel="Replace all tokens"
            color="orange"
            onConfirm={replaceAll}
          >
            Replace all tokens
          </ConfirmButton>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        To rotate a token: generate a new one, paste it into the IdP and test the connection, then revoke the old one. The old token keeps working until you revoke it.
        {!active && ' Activate provisioning to generate a token.'}
      </Text>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      {tokens.length === 0 ? (
        <EmptyState title={`No token for ${idp}`}>Generate a token and paste it into the IdP.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label={`SCIM tokens for ${idp}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
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
              {tokens.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.name}</Table.Td>
                  <CredentialCells credential={t} />
                  <Table.Td>
                    {!t.revokedAt && (
                      <ConfirmButton
                        title={`Revoke the token ${t.prefix}…?`}
                        message={
                          live.length === 1
                            ? `This is ${idp}'s only valid token: its provisioning stops at once, until you generate a new token and paste it into the IdP.`
                            : `Requests made with this token are refused at once. ${idp}'s other tokens keep working.`
                        }
                        confirmLabel="Revoke"
                        variant="subtle"
                        onConfirm={() => revokeOne(t.id)}
                      >
                        Revoke<VisuallyHidden> token {t.prefix}</VisuallyHidden>
                      </ConfirmButton>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
