import { List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { CopyField } from '../../components';
import { idpName } from './shared/format';

/** What Okta's provisioning actions should be (checkboxes in Okta: nothing to paste). */
export const OKTA_PROVISIONING_ACTIONS = ['Import New Users and Profile Updates', 'Push New Users', 'Push Profile Updates', 'Push Groups'];

export interface ConnectorChecklistProps {
  idp: string;
  scimBaseUrl: string;
  /** The token, while it is shown once; null afterwards. */
  token: string | null;
}

const check = (
  <ThemeIcon size={18} radius="xl" variant="light" color="teal" aria-hidden>
    ✓
  </ThemeIcon>
);

/** The token field of the checklist: the token while it is shown, else where to get one. */
function TokenField({ label, token }: { label: string; token: string | null }) {
  if (token) return <CopyField label={label} value={token} description="Shown once: paste it now." />;
  return (
    <Text size="sm">
      <b>{label}</b>: the token is shown only when it is generated. Generate a new token above to paste it.
    </Text>
  );
}

/** The steps in Okta (or Entra ID) with the values to paste, each with a copy button. */
export function ConnectorChecklist({ idp, scimBaseUrl, token }: ConnectorChecklistProps) {
  const headingId = `checklist-${idp}`;
  const name = idp.toLowerCase();
  if (name.startsWith('entra') || name.startsWith('azure')) {
    return (
      <Stack gap="xs" component="section" aria-labelledby={headingId}>
        <Title order={3} size="h5" id={headingId}>
          Set up provisioning in Entra ID
        </Title>
        <Text size="sm">In the enterprise application, Provisioning → Provisioning Mode: Automatic; under Admin Credentials:</Text>
        <CopyField label="Tenant URL" value={scimBaseUrl} />
        <TokenField label="Secret Token" token={token} />
        <Text size="sm">Press Test Connection, then Save; the request shows up under Recent SCIM requests.</Text>
      </Stack>
    );
  }
  const okta = name.startsWith('okta');
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        {okta ? 'Set up provisioning in Okta' : `Set up provisioning in ${idpName(idp)}`}
      </Title>
      {okta && <Text size="sm">In the Okta app: General → App Settings → Provisioning: SCIM. Then Provisioning → Integration → Edit, and fill in:</Text>}
      <CopyField label="SCIM connector base URL" value={scimBaseUrl} />
      <CopyField label="Unique identifier field for users" value="userName" />
      {okta && (
        <div>
          <Text size="sm" fw={500}>
            Supported provisioning actions (tick these)
          </Text>
          <List spacing={2} size="sm" icon={check} aria-label="Supported provisioning actions">
            {OKTA_PROVISIONING_ACTIONS.map((a) => (
              <List.Item key={a}>{a}</List.Item>
            ))}
          </List>
        </div>
      )}
      <CopyField label="Authentication Mode" value="HTTP Header" mono={false} />
      <TokenField label="Authorization: Bearer token" token={token} />
      <Text size="sm">
        {okta
          ? 'Press Test Connector Configuration: the request shows up under Recent SCIM requests. Then save, and under Provisioning → To App enable Create Users, Update User Attributes and Deactivate Users.'
          : 'Test the connection: the request shows up under Recent SCIM requests.'}
      </Text>
    </Stack>
  );
}
