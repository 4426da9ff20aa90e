import { Anchor, Code, Group, Pagination, Stack, Table, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { PageHeader, QueryState } from '../components';
import { AUDIT_PAGE_SIZE, filtersFromParams, pageFromParams, resourcePath, toFilterInput, toParams, type AuditFilters } from './audit/audit-filters';
import { AuditFiltersForm } from './audit/AuditFiltersForm';
import { AUDIT_LOG_QUERY, type AuditEventNode, type AuditLogData } from './audit/queries';
import { ADMIN_ROLES, AdminOnly, useViewerRole } from './provisioning/shared/admin-only';
import { formatDateTime } from './provisioning/shared/format';

/** Audit log: every change, newest first, filtered and paged on the server; the filters live in the URL. */
export default function AuditLogPage() {
  const role = useViewerRole();
  const isAdmin = !!role && ADMIN_ROLES.includes(role);
  return (
    <>
      <PageHeader title="Audit log" description="Every change to the directory and its settings: who, what and when." />
      <AdminOnly what="The audit log">{isAdmin && <AuditLog />}</AdminOnly>
    </>
  );
}

function AuditLog() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const page = pageFromParams(params);
  const filter = toFilterInput(filters);
  const [result, reexecute] = useQuery<AuditLogData>({ query: AUDIT_LOG_QUERY, variables: { filter, first: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE } });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const data = result.data && { auditLog: result.data.auditLog ?? { nodes: [], totalCount: 0, hasNextPage: false } };
  const apply = (f: AuditFilters) => setParams(toParams(f));
  const goTo = (p: number) => setParams(toParams(filters, p));

  return (
    <Stack gap="lg">
      <AuditFiltersForm key={params.toString()} filters={filters} onApply={apply} />
      <QueryState
        result={{ ...result, data }}
        onRetry={refresh}
        isEmpty={(d) => d.auditLog.totalCount === 0 && d.auditLog.nodes.length === 0}
        emptyTitle={filter ? 'No event matches these filters' : 'Nothing recorded yet'}
        emptyText={filter ? 'Widen the time range or clear a filter.' : 'Changes to users, groups, keys and connections are recorded here.'}
      >
        {(d) => {
          const { nodes, totalCount } = d.auditLog;
          const pages = Math.max(1, Math.ceil(totalCount / AUDIT_PAGE_SIZE));
          const first = (page - 1) * AUDIT_PAGE_SIZE + 1;
          return (
            <Stack gap="sm">
              <Text size="sm" c="dimmed" role="status">
                {nodes.length === 0
                  ? `No events on page ${page}; ${totalCount.toLocaleString()} ${totalCount === 1 ? 'event matches' : 'events match'}.`
                  : `Events ${first.toLocaleString()}–${(first + nodes.length - 1).toLocaleString()} of ${totalCount.toLocaleString()}, newest first`}
              </Text>
              <Table.ScrollContainer minWidth={760}>
                <Table striped highlightOnHover aria-label="Audit events">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Time</Table.Th>
                      <Table.Th>Actor</Table.Th>
                      <Table.Th>Event</Table.Th>
                      <Table.Th>Resource</Table.Th>
                      <Table.Th>Changed</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {nodes.map((e) => (
                      <EventRow key={e.id} event={e} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {pages > 1 && (
                <Group justify="center">
                  <Pagination
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={goTo}
                    aria-label="Audit log pages"
                    getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
                    getControlProps={(control) => ({ 'aria-label': { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' }[control] })}
                  />
                </Group>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function EventRow({ event: e }: { event: AuditEventNode }) {
  const path = resourcePath(e.resourceType, e.resourceId);
  const label = `${e.resourceType}${e.resourceId ? ` ${e.resourceId}` : ''}`;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" component="time" dateTime={e.at} style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(e.at)}
        </Text>
      </Table.Td>
      <Table.Td>{e.actor}</Table.Td>
      <Table.Td>
        <Code>{e.action}</Code>
      </Table.Td>
      <Table.Td>
        {path ? (
          <Anchor component={Link} to={path} size="sm">
            {label}
          </Anchor>
        ) : (
          <Text size="sm">{label}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{e.changed.join(', ') || '—'}</Text>
        {e.ignored.length > 0 && (
          <Text size="xs" c="dimmed">
            ignored: {e.ignored.join(', ')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
