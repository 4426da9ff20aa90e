import { EmptyState, PageHeader } from '../components';

/** Provisioning: a placeholder until the page is built. */
export default function ProvisioningPage() {
  return (
    <>
      <PageHeader title="Provisioning" description="SCIM connections per identity provider: the base URL and tokens to give Okta or Entra ID." />
      <EmptyState title="No provisioning set up">Set up SCIM provisioning to let an identity provider create and update users and groups.</EmptyState>
    </>
  );
}
