import { EmptyState, PageHeader } from '../components';

/** Groups: a placeholder until the page is built. */
export default function GroupsPage() {
  return (
    <>
      <PageHeader title="Groups" description="Groups and their members, from every identity provider." />
      <EmptyState title="No groups yet">Groups appear here once an identity provider pushes them over SCIM.</EmptyState>
    </>
  );
}
