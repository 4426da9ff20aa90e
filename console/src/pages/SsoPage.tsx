import { Button, Card, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from 'urql';
import { PageHeader, QueryState } from '../components';
import { ADMIN_ROLES, AdminOnly, useViewerRole } from './provisioning/shared/admin-only';
import { MetadataForm } from './sso/MetadataForm';
import { SAML_CONNECTIONS_QUERY, SAML_SERVICE_PROVIDER_QUERY, type SamlConnectionNode, type SamlServiceProviderNode } from './sso/queries';
import { SamlCard } from './sso/SamlCard';
import { SpValues } from './sso/SpValues';

/** Single sign-on: one card per SAML IdP, and a way to connect another from its metadata. */
export default function SsoPage() {
  const role = useViewerRole();
  const isAdmin = !!role && ADMIN_ROLES.includes(role);
  const [result, reexecute] = useQuery<{ samlConnections: SamlConnectionNode[] }>({ query: SAML_CONNECTIONS_QUERY, pause: !isAdmin });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const data = result.data && { samlConnections: result.data.samlConnections ?? [] };
  const [opened, { open, close }] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="SAML connections per identity provider: the values to paste into Okta or Entra ID, certificates and role mapping."
        actions={isAdmin ? <Button onClick={open}>Connect an identity provider</Button> : undefined}
      />
      <Modal opened={opened} onClose={close} title="Connect an identity provider" size="lg" centered>
        <MetadataForm
          submitLabel="Connect"
          onSaved={() => {
            close();
            refresh();
          }}
        />
      </Modal>
      <AdminOnly what="Single sign-on">
        <QueryState result={{ ...result, data }} onRetry={refresh}>
          {(d) =>
            d.samlConnections.length === 0 ? (
              <NoConnection />
            ) : (
              <Stack gap="lg">
                {d.samlConnections.map((c) => (
                  <SamlCard key={c.idp} connection={c} onChanged={refresh} />
                ))}
              </Stack>
            )
          }
        </QueryState>
      </AdminOnly>
    </>
  );
}

/** No IdP yet: the SP values Roster uses (from its PUBLIC_URL), to create the SAML app with. */
function NoConnection() {
  const [result, reexecute] = useQuery<{ samlServiceProvider: SamlServiceProviderNode }>({ query: SAML_SERVICE_PROVIDER_QUERY });
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm">
        <Text fw={500}>No identity provider connected</Text>
        <Text size="sm" c="dimmed">
          Create a SAML app in Okta or Entra ID with these values, then press Connect an identity provider and upload its metadata.
        </Text>
        <QueryState result={result} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
          {({ samlServiceProvider: sp }) => (sp ? <SpValues idp="okta" acsUrl={sp.acsUrl} spEntityId={sp.spEntityId} /> : null)}
        </QueryState>
      </Stack>
    </Card>
  );
}
