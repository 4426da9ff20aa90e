import { EmptyState, PageHeader } from '../components';

/** Audit log: a placeholder until the page is built. */
export default function AuditLogPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change to the directory and its settings: who, what and when." />
      <EmptyState title="Nothing recorded yet">Changes to users, groups, keys and connections are recorded here.</EmptyState>
    </>
  );
}
