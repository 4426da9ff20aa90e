import { EmptyState, PageHeader } from '../components';

/** API keys: a placeholder until the page is built. */
export default function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API keys" description="Keys for scripts and services that call Roster's GraphQL API." />
      <EmptyState title="No API keys">Create an API key for a script or service that reads or manages the directory.</EmptyState>
    </>
  );
}
