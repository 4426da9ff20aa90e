import { Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '../../components';
import { CREATE_API_KEY } from './queries';

/** Name + role → createApiKey; the secret goes to the page, which shows it once. */
export function CreateApiKeyForm({ viewerRole, onCreated }: { viewerRole: string; onCreated: (name: string, secret: string) => void }) {
  // Only an OWNER may create OWNER keys (the server refuses otherwise).
  const roles = viewerRole === 'OWNER' ? ['READER', 'ADMIN', 'OWNER'] : ['READER', 'ADMIN'];
  const [name, setName] = useState('');
  const [role, setRole] = useState('READER');
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, create] = useMutation(CREATE_API_KEY);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setNameError('Name the key after the script or service that uses it.');
    setNameError(null);
    const r = await create({ name: name.trim(), role });
    if (r.error) return setError(errorMessage(r.error));
    onCreated(name.trim(), (r.data as { createApiKey: { secret: string } }).createApiKey.secret);
    setName('');
    setRole('READER');
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-api-key">
      <Stack gap="sm">
        <Title order={2} size="h4" id="create-api-key">
          Create an API key
        </Title>
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Name"
            description="e.g. the script or service that uses it"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            required
            style={{ flex: 1, minWidth: 220 }}
          />
          <NativeSelect label="Role" description="READER reads; ADMIN manages; OWNER also manages OWNER keys" data={roles} value={role} onChange={(e) => setRole(e.currentTarget.value)} />
        </Group>
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={fetching}>
            Create API key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
