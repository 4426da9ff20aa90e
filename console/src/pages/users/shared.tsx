import { Badge, Group, NativeSelect, Pagination, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery, type OperationResult } from 'urql';
import { errorMessage } from '../../components';
import { useViewer } from '../../session/ViewerProvider';

/** The viewer's role, or null while it is not known. */
export function useRole(): string | null {
  const { state } = useViewer();
  return state.status === 'signed-in' ? state.viewer.role : null;
}

/** Whether the viewer may change users and groups, revoke sessions and read the audit trail (the server checks again). */
export function useCanAdminister(): boolean {
  const role = useRole();
  return role === 'OWNER' || role === 'ADMIN';
}

/** "Local", or the IdP's label as Roster knows it ("okta"). */
export function providerLabel(source: string): string {
  return source === 'local' ? 'Local' : source;
}

export function AuthProviderBadge({ source }: { source: string }) {
  return (
    <Badge variant="light" color={source === 'local' ? 'gray' : 'blue'} tt="none">
      {providerLabel(source)}
    </Badge>
  );
}

export function StatusBadge({ active }: { active: boolean }) {
  return (
    <Badge variant="light" color={active ? 'green' : 'gray'} style={{ flexShrink: 0 }}>
      {active ? 'Active' : 'Inactive'}
    </Badge>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago", relative to `now`. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  }
  return iso;
}

export function exactTime(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'long' });
}

/** A time shown relative, the exact instant on hover. */
export function TimeAgo({ iso }: { iso: string | null | undefined }) {
  if (!iso)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

/** "1–50 of 1,234". */
export function rangeText(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return `0 of ${total.toLocaleString('en-US')}`;
  return `${(offset + 1).toLocaleString('en-US')}–${(offset + shown).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}

export const PAGE_SIZES = [25, 50, 100] as const;

/** List state kept in the query string: reload and Back restore it. */
export interface ListParams {
  q: string;
  page: number;
  size: number;
  sort: string;
  dir: 'asc' | 'desc';
  get: (key: string) => string;
  /** Sets keys (empty string or null removes one); every change but paging goes back to page 1. */
  update: (changes: Record<string, string | number | null>, options?: { replace?: boolean }) => void;
}

export function useListParams(defaultSort: string): ListParams {
  const [params, setParams] = useSearchParams();
  const size = Number(params.get('size'));
  const page = Math.max(1, Math.floor(Number(params.get('page')) || 1));
  return {
    q: params.get('q') ?? '',
    page,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
    sort: params.get('sort') || defaultSort,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    get: (key) => params.get(key) ?? '',
    update: (changes, options) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (!('page' in changes)) next.delete('page');
          if (next.get('page') === '1') next.delete('page');
          return next;
        },
        { replace: options?.replace },
      ),
  };
}

/** The last data a query answered, kept while the next page loads (nothing blanks out on a slow list). */
export function useKeep<T>(data: T | undefined): T | undefined {
  const [kept, setKept] = useState<T | undefined>(data);
  if (data !== undefined && data !== kept) setKept(data);
  return data ?? kept;
}

/** A sortable column header: a button that says what it sorts by, and aria-sort on the th. */
export function sortProps(list: ListParams, key: string): { 'aria-sort': 'ascending' | 'descending' | 'none' } {
  return { 'aria-sort': list.sort === key ? (list.dir === 'asc' ? 'ascending' : 'descending') : 'none' };
}

export function SortButton({ list, sortKey, children }: { list: ListParams; sortKey: string; children: string }) {
  const current = list.sort === sortKey;
  const nextDir = current && list.dir === 'asc' ? 'desc' : 'asc';
  return (
    <UnstyledButton onClick={() => list.update({ sort: sortKey, dir: nextDir })} fw={700} fz="sm">
      {children}
      <VisuallyHidden>{`, sort ${nextDir === 'asc' ? 'ascending' : 'descending'}`}</VisuallyHidden>
      <span aria-hidden> {current ? (list.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
    </UnstyledButton>
  );
}

/** Totals, page size and pages under a list. */
export function Pager({ list, total, shown, fetching, noun }: { list: ListParams; total: number; shown: number; fetching: boolean; noun: string }) {
  const pages = Math.max(1, Math.ceil(total / list.size));
  return (
    <Group justify="space-between" mt="md" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="list-total" aria-live="polite">
        {rangeText((list.page - 1) * list.size, shown, total)} {noun}
        {fetching ? ' (updating…)' : ''}
      </Text>
      <Group gap="sm">
        <NativeSelect
          aria-label="Rows per page"
          size="xs"
          data={PAGE_SIZES.map(String)}
          value={String(list.size)}
          onChange={(e) => list.update({ size: e.currentTarget.value === '50' ? null : e.currentTarget.value })}
        />
        <Pagination
          total={pages}
          value={Math.min(list.page, pages)}
          onChange={(page) => list.update({ page: page === 1 ? null : page })}
          size="sm"
          getControlProps={(control) => ({ 'aria-label': control === 'previous' ? 'Previous page' : control === 'next' ? 'Next page' : control })}
          getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
        />
      </Group>
    </Group>
  );
}

export interface ProvisioningIdps {
  provisioning: { idp: string }[];
}

const IDPS_QUERY = /* GraphQL */ `
  query ProvisioningIdps {
    provisioning {
      idp
    }
  }
`;

/** The Auth Provider filter: any, Local, and each IdP Roster provisions from (an OWNER or ADMIN may list them; the current choice is always offered). */
export function AuthProviderFilter({ list }: { list: ListParams }) {
  const canList = useCanAdminister();
  const [{ data }] = useQuery<ProvisioningIdps>({ query: IDPS_QUERY, pause: !canList });
  const current = list.get('source');
  const idps = new Set((data?.provisioning ?? []).map((p) => p.idp));
  if (current && current !== 'local') idps.add(current);
  const options = [{ value: '', label: 'Any' }, { value: 'local', label: 'Local' }, ...[...idps].sort().map((idp) => ({ value: idp, label: idp }))];
  return <NativeSelect label="Auth Provider" data={options} value={current} onChange={(e) => list.update({ source: e.currentTarget.value })} />;
}

/** A labelled value in a detail view. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {empty ? '—' : children}
      </Text>
    </div>
  );
}

/** Throws a mutation's error as a message fit to show (ConfirmButton shows what it throws). */
export function throwIfError<T>(result: OperationResult<T>): T {
  if (result.error) throw new Error(errorMessage(result.error));
  if (!result.data) throw new Error('Roster gave no answer.');
  return result.data;
}
