import { Stack } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from 'urql';
import { PageHeader, QueryState } from '../components';
import { AddIdpButton } from './provisioning/AddIdpButton';
import { IdpCard } from './provisioning/IdpCard';
import { PROVISIONING_QUERY, type CredentialNode, type ProvisioningNode } from './provisioning/queries';
import { ADMIN_ROLES, AdminOnly, useViewerRole } from './provisioning/shared/admin-only';

interface Data {
  provisioning: ProvisioningNode[];
  credentials: CredentialNode[];
}

/** Provisioning: one card per IdP with its SCIM base URL, tokens, recent requests and setup checklist. */
export default function ProvisioningPage() {
  const role = useViewerRole();
  const isAdmin = !!role && ADMIN_ROLES.includes(role);
  const [result, reexecute] = useQuery<Data>({ query: PROVISIONING_QUERY, pause: !isAdmin });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  // A partial answer (a field missing) reads as empty lists rather than breaking the page.
  const data: Data | undefined = result.data && { provisioning: result.data.provisioning ?? [], credentials: result.data.credentials ?? [] };
  // Tokens issued in this visit, by IdP: in component state only (never in browser storage), so
  // they are gone after a reload, when the admin leaves the page or says they have copied one.
  const [secrets, setSecrets] = useState<Record<string, string>>({});

  const setSecret = (idp: string, secret: string | null) =>
    setSecrets((s) => {
      const next = { ...s };
      if (secret) next[idp] = secret;
      else delete next[idp];
      return next;
    });

  return (
    <>
      <PageHeader
        title="Provisioning"
        description="SCIM connections per identity provider: the base URL and tokens to give Okta or Entra ID."
        actions={
          isAdmin ? (
            <AddIdpButton
              existing={data?.provisioning.map((p) => p.idp) ?? []}
              onAdded={(idp, token) => {
                setSecret(idp, token);
                refresh();
              }}
            />
          ) : undefined
        }
      />
      <AdminOnly what="Provisioning">
        <QueryState
          result={{ ...result, data }}
          onRetry={refresh}
          isEmpty={(d) => d.provisioning.length === 0}
          emptyTitle="No provisioning set up"
          emptyText="Add an identity provider to let Okta or Entra ID create and update users and groups over SCIM."
        >
          {(d) => (
            <Stack gap="lg">
              {d.provisioning.map((p) => (
                <IdpCard
                  key={p.idp}
                  provisioning={p}
                  tokens={d.credentials.filter((c) => c.kind === 'scim_token' && c.idp === p.idp)}
                  secret={secrets[p.idp] ?? null}
                  onIssued={(secret) => setSecret(p.idp, secret)}
                  onForget={() => setSecret(p.idp, null)}
                  onChanged={refresh}
                />
              ))}
            </Stack>
          )}
        </QueryState>
      </AdminOnly>
    </>
  );
}
