import { Anchor, Badge, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from 'urql';
import { ConfirmButton, CopyField } from '../../components';
import { ssoLoginUrl } from '../../session/auth-api';
import { formatDateTime, idpName, throwIfError } from '../provisioning/shared/format';
import { Certificates } from './Certificates';
import { MetadataForm } from './MetadataForm';
import { REMOVE_SAML, type SamlConnectionNode } from './queries';
import { RoleMappingsForm } from './RoleMappingsForm';
import { SamlOptionsForm } from './SamlOptionsForm';
import { SpValues } from './SpValues';

/** One SAML IdP: values to paste, its certificates, metadata, options, role mapping, test and remove. */
export function SamlCard({ connection: c, onChanged }: { connection: SamlConnectionNode; onChanged: () => void }) {
  const [, remove] = useMutation(REMOVE_SAML);
  const headingId = `saml-${c.idp}`;

  const onRemove = async () => {
    const r = await remove({ idp: c.idp });
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
                {idpName(c.idp)}
              </Title>
              {c.isDefault && (
                <Badge variant="light" color="blue">
                  Default
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              Updated {formatDateTime(c.updatedAt)}
            </Text>
          </div>
          <Group gap="xs">
            <Anchor href={ssoLoginUrl(c.idp)} target="_blank" rel="noopener noreferrer" size="sm">
              Test sign-in
            </Anchor>
            <ConfirmButton
              title={`Remove single sign-on through ${c.idp}?`}
              message={`Nobody can sign in through ${c.idp} any more; open sessions stay until they end. Provisioning from ${c.idp} is not affected.`}
              confirmLabel="Remove"
              onConfirm={onRemove}
            >
              Remove
            </ConfirmButton>
          </Group>
        </Group>
        <SpValues idp={c.idp} acsUrl={c.acsUrl} spEntityId={c.spEntityId} />
        <Divider />
        <Stack gap="xs">
          <Title order={3} size="h5">
            The identity provider
          </Title>
          <CopyField label="IdP entity ID (Issuer)" value={c.entityId} />
          <CopyField label={`IdP single sign-on URL (${c.ssoBinding})`} value={c.ssoUrl} />
        </Stack>
        <Certificates idp={c.idp} certificates={c.certificates} />
        <Divider />
        <Stack gap="xs">
          <Title order={3} size="h5">
            Update the metadata
          </Title>
          <MetadataForm key={c.updatedAt} idp={c.idp} submitLabel="Save metadata" onSaved={onChanged} />
        </Stack>
        <Divider />
        <SamlOptionsForm key={`options-${c.updatedAt}`} connection={c} onSaved={onChanged} />
        <Divider />
        <RoleMappingsForm key={`mappings-${c.updatedAt}`} idp={c.idp} mappings={c.roleMappings} onSaved={onChanged} />
      </Stack>
    </Card>
  );
}
