import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { errorMessage } from '../../components';
import { ACTIVATE_PROVISIONING } from './queries';
import { IDP_LABEL } from './shared/format';

export interface AddIdpButtonProps {
  /** IdPs already set up (adding one of them again would only issue a token). */
  existing: string[];
  /** Provisioning is on: the SCIM base URL and the token, shown once. */
  onAdded: (idp: string, token: string) => void;
}

/** "Add an identity provider": names it, activates provisioning, and hands the token over once. */
export function AddIdpButton({ existing, onAdded }: AddIdpButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const [idp, setIdp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, activate] = useMutation(ACTIVATE_PROVISIONING);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const label = idp.trim().toLowerCase();
    if (!IDP_LABEL.test(label)) return setError('Use a short label such as okta or entra: letters, digits, dot, underscore or hyphen.');
    if (existing.includes(label)) return setError(`${label} is set up already: generate a new token on its card.`);
    setError(null);
    const r = await activate({ idp: label });
    if (r.error) return setError(errorMessage(r.error));
    onAdded(label, (r.data as { activateProvisioning: { token: string } }).activateProvisioning.token);
    setIdp('');
    close();
  };

  return (
    <>
      <Button onClick={open}>Add an identity provider</Button>
      <Modal opened={opened} onClose={close} title="Add an identity provider" centered>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm">
            <TextInput
              label="Identity provider label"
              description="A short label such as okta or entra. Single sign-on through the same IdP uses the same label."
              value={idp}
              onChange={(e) => setIdp(e.currentTarget.value)}
              error={error}
              data-autofocus
              required
            />
            <Text size="sm" c="dimmed">
              Roster turns provisioning on for it and shows the SCIM base URL and a token, once.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={fetching}>
                Add and generate a token
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
