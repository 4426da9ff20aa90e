import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '../../components';
import { MAPPABLE_ROLES, SET_SAML_OPTIONS, type SamlRoleMappingNode } from './queries';

interface Row extends SamlRoleMappingNode {
  key: number;
}

let nextKey = 0;
const row = (m: SamlRoleMappingNode): Row => ({ ...m, key: nextKey++ });

/** Which IdP groups sign in with which role; saving replaces the whole list. */
export function RoleMappingsForm({ idp, mappings, onSaved }: { idp: string; mappings: SamlRoleMappingNode[]; onSaved: () => void }) {
  const [rows, setRows] = useState<Row[]>(() => mappings.map(row));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [{ fetching }, save] = useMutation(SET_SAML_OPTIONS);
  const headingId = `role-mappings-${idp}`;

  const update = (key: number, change: Partial<SamlRoleMappingNode>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const submit = async () => {
    setMessage(null);
    const roleMappings = rows.map(({ group, role }) => ({ group: group.trim(), role }));
    if (roleMappings.some((m) => !m.group)) return setMessage({ ok: false, text: 'Every mapping needs a group name (remove the empty rows).' });
    const r = await save({ idp, options: { roleMappings } });
    if (r.error) return setMessage({ ok: false, text: errorMessage(r.error) });
    setMessage({ ok: true, text: 'Role mapping saved.' });
    onSaved();
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        Role mapping by group
      </Title>
      <Text size="xs" c="dimmed">
        Members of a group the IdP pushed (by its display name) sign in with its role; the highest one wins. People in no mapped group get no console role.
      </Text>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No mapping: nobody signing in through {idp} gets a console role.
        </Text>
      )}
      {rows.map((r, i) => (
        <Group key={r.key} align="flex-end" gap="xs" wrap="nowrap">
          <TextInput label={`Group ${i + 1}`} value={r.group} onChange={(e) => update(r.key, { group: e.currentTarget.value })} style={{ flex: 1 }} />
          <NativeSelect label={`Role ${i + 1}`} data={[...MAPPABLE_ROLES]} value={r.role} onChange={(e) => update(r.key, { role: e.currentTarget.value })} />
          <ActionIcon variant="subtle" color="red" size="lg" mb={2} aria-label={`Remove mapping ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button variant="subtle" size="xs" onClick={() => setRows((rs) => [...rs, row({ group: '', role: 'READER' })])}>
          Add a mapping
        </Button>
        <Button variant="light" onClick={() => void submit()} loading={fetching} aria-label={`Save role mapping of ${idp}`}>
          Save role mapping
        </Button>
      </Group>
      {message && (
        <Text size="sm" c={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Text>
      )}
    </Stack>
  );
}
