import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, PageHeader } from '../components';

/** An address under /admin that no page answers. */
export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no such page">
        <Anchor component={Link} to="/">
          Back to the console
        </Anchor>
      </EmptyState>
    </>
  );
}
