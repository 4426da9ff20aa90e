import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { EVENT_TYPES, isoToLocalInput, localInputToIso, RESOURCE_TYPES, type AuditFilters } from './audit-filters';

const EMPTY: AuditFilters = { actor: '', idp: '', action: '', resourceType: '', resourceId: '', since: '', until: '' };

/**
 * The filters: the selects apply at once, the text and time fields on Apply (or Enter). The parent
 * keys this form by the URL, so it starts from what the URL says.
 */
export function AuditFiltersForm({ filters, onApply }: { filters: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const [form, setForm] = useState<AuditFilters>(filters);
  const set = (k: keyof AuditFilters, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const applyNow = (k: keyof AuditFilters, v: string) => onApply({ ...form, [k]: v });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(form);
  };
  const actionKnown = EVENT_TYPES.some((t) => t.value === form.action);

  return (
    <form onSubmit={submit} aria-label="Audit log filters">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <TextInput label="Actor" description="part of the name, any case" value={form.actor} onChange={(e) => set('actor', e.currentTarget.value)} />
        <TextInput label="Identity provider" description="e.g. okta" value={form.idp} onChange={(e) => set('idp', e.currentTarget.value)} />
        <NativeSelect
          label="Event type"
          description="action prefix"
          data={actionKnown ? [...EVENT_TYPES] : [...EVENT_TYPES, { value: form.action, label: form.action }]}
          value={form.action}
          onChange={(e) => applyNow('action', e.currentTarget.value)}
        />
        <NativeSelect
          label="Resource type"
          description="what changed"
          data={[{ value: '', label: 'All types' }, ...RESOURCE_TYPES.map((t) => ({ value: t, label: t }))]}
          value={form.resourceType}
          onChange={(e) => applyNow('resourceType', e.currentTarget.value)}
        />
        <TextInput label="Resource id" description="exactly" value={form.resourceId} onChange={(e) => set('resourceId', e.currentTarget.value)} />
        <TextInput
          type="datetime-local"
          label="From"
          description="at or after (your time zone)"
          value={isoToLocalInput(form.since)}
          onChange={(e) => set('since', localInputToIso(e.currentTarget.value))}
        />
        <TextInput
          type="datetime-local"
          label="Until"
          description="before (your time zone)"
          value={isoToLocalInput(form.until)}
          onChange={(e) => set('until', localInputToIso(e.currentTarget.value))}
        />
        <Group align="flex-end" gap="xs">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
            onClick={() => {
              setForm(EMPTY);
              onApply(EMPTY);
            }}
          >
            Clear
          </Button>
        </Group>
      </SimpleGrid>
    </form>
  );
}
