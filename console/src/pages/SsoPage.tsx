import { EmptyState, PageHeader } from '../components';

/** Single sign-on: a placeholder until the page is built. */
export default function SsoPage() {
  return (
    <>
      <PageHeader title="Single sign-on" description="SAML connections per identity provider: the values to paste into Okta or Entra ID, certificates and role mapping." />
      <EmptyState title="No identity provider connected">Connect an identity provider so that people can sign in to Roster with SSO.</EmptyState>
    </>
  );
}
