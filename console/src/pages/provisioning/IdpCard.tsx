import { Badge, Button, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmButton, CopyField, GenerateOnceSecret } from '../../components';
import { ConnectorChecklist } from './ConnectorChecklist';
import { ACTIVATE_PROVISIONING, DEACTIVATE_PROVISIONING, type CredentialNode, type ProvisioningNode } from './queries';
import { ScimRequestsPanel } from './ScimRequestsPanel';
import { ScimTokens } from './ScimTokens';
import { formatDateTime, idpName, throwIfError } from './shared/format';

export interface IdpCardProps {
  provisioning: ProvisioningNode;
  tokens: CredentialNode[];
  /** The token issued in this visit, shown once (kept in memory only, by the page). */
  secret: string | null;
  onIssued: (secret: string) => void;
  onForget: () => void;
  onChanged: () => void;
}

/** One identity provider's provisioning: state, SCIM base URL, tokens, recent requests and the setup checklist. */
export function IdpCard({ provisioning: p, tokens, secret, onIssued, onForget, onChanged }: IdpCardProps) {
  const [, activate] = useMutation(ACTIVATE_PROVISIONING);
  const [, deactivate] = useMutation(DEACTIVATE_PROVISIONING);
  const [activating, setActivating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `provisioning-${p.idp}`;

  const onActivate = async () => {
    setActivating(true);
    setError(null);
    try {
      const r = await activate({ idp: p.idp });
      throwIfError(r.error);
      onIssued((r.data as { activateProvisioning: { token: string } }).activateProvisioning.token);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setActivating(false);
    }
  };

  const onDeactivate = async () => {
    const r = await deactivate({ idp: p.idp });
    throwIfError(r.error);
    onChanged();
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={2} size="h3" id={headingId}>
                {idpName(p.idp)}
              </Title>
              {p.active ? (
                <Badge color="teal" variant="light">
                  Active
                </Badge>
              ) : (
                <Badge color="gray" variant="light">
                  Inactive
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {p.active ? `Active since ${formatDateTime(p.activatedAt)}` : `Deactivated ${formatDateTime(p.deactivatedAt)}: every SCIM call from ${p.idp} is refused.`}
              {' · '}
              {p.lastScimRequestAt ? `Last SCIM request ${formatDateTime(p.lastScimRequestAt)}` : 'No SCIM request yet'}
            </Text>
          </div>
          {p.active ? (
            <ConfirmButton
              title={`Deactivate provisioning from ${p.idp}?`}
              message={`Every SCIM call from ${p.idp} is refused until you activate it again. Its tokens are kept, and users and groups stay as they are.`}
              confirmLabel="Deactivate"
              onConfirm={onDeactivate}
            >
              Deactivate
            </ConfirmButton>
          ) : (
            <Button onClick={() => void onActivate()} loading={activating}>
              Activate
            </Button>
          )}
        </Group>
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
        {secret && <GenerateOnceSecret label={`SCIM token for ${p.idp}`} secret={secret} onDone={onForget} />}
        <CopyField label="SCIM base URL" value={p.scimBaseUrl} description={`Paste it into ${idpName(p.idp)} with a token.`} />
        <Divider />
        <ScimTokens idp={p.idp} active={p.active} tokens={tokens} onIssued={onIssued} onChanged={onChanged} />
        <Divider />
        <ScimRequestsPanel idp={p.idp} />
        <Divider />
        <ConnectorChecklist idp={p.idp} scimBaseUrl={p.scimBaseUrl} token={secret} />
      </Stack>
    </Card>
  );
}
