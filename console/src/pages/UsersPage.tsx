import { EmptyState, PageHeader } from '../components';

/** Users: a placeholder until the page is built. */
export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" description="People in the directory, from every identity provider." />
      <EmptyState title="No users yet">Users appear here once an identity provider provisions them over SCIM.</EmptyState>
    </>
  );
}
