import { Button, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '../../components';
import { SET_SAML_OPTIONS, type SamlConnectionNode } from './queries';

type Options = Pick<SamlConnectionNode, 'isDefault' | 'jitProvisioning' | 'matchEmail' | 'wantResponseSigned'>;

const SWITCHES: { key: keyof Options; label: string; description: string }[] = [
  { key: 'isDefault', label: 'Default identity provider', description: '/saml/sp/login without ?idp= signs in through this IdP (the previous default stops being one).' },
  { key: 'jitProvisioning', label: 'Just-in-time creation', description: 'A person who signs in and does not exist in Roster yet is created.' },
  { key: 'matchEmail', label: 'Match by email', description: 'When no userName matches, find the user by email.' },
  { key: 'wantResponseSigned', label: 'Want the Response signed', description: 'Require the whole Response to be signed, not only the assertion.' },
];

/** The connection's options → setSamlOptions (only these four; role mappings are saved apart). */
export function SamlOptionsForm({ connection, onSaved }: { connection: SamlConnectionNode; onSaved: () => void }) {
  const [options, setOptions] = useState<Options>({
    isDefault: connection.isDefault,
    jitProvisioning: connection.jitProvisioning,
    matchEmail: connection.matchEmail,
    wantResponseSigned: connection.wantResponseSigned,
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [{ fetching }, save] = useMutation(SET_SAML_OPTIONS);
  const headingId = `options-${connection.idp}`;

  const submit = async () => {
    setMessage(null);
    const r = await save({ idp: connection.idp, options });
    if (r.error) return setMessage({ ok: false, text: errorMessage(r.error) });
    setMessage({ ok: true, text: 'Options saved.' });
    onSaved();
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        Options
      </Title>
      {SWITCHES.map((s) => (
        <Switch key={s.key} label={s.label} description={s.description} checked={options[s.key]} onChange={(e) => setOptions((o) => ({ ...o, [s.key]: e.currentTarget.checked }))} />
      ))}
      <Group justify="space-between">
        <Text size="sm" c={message?.ok ? 'teal' : 'red'} role={message?.ok ? 'status' : 'alert'}>
          {message?.text}
        </Text>
        <Button variant="light" onClick={() => void submit()} loading={fetching} aria-label={`Save options of ${connection.idp}`}>
          Save options
        </Button>
      </Group>
    </Stack>
  );
}
