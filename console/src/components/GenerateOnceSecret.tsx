import { Alert, Button, Group, Stack } from '@mantine/core';
import { CopyField } from './CopyField';

export interface GenerateOnceSecretProps {
  /** What the secret is, e.g. "SCIM token" or "API key". */
  label: string;
  secret: string;
  /** Called when the admin says they have copied it; the caller then forgets the secret. */
  onDone?: () => void;
}

/** A newly generated secret, shown this once: Roster keeps only its hash. */
export function GenerateOnceSecret({ label, secret, onDone }: GenerateOnceSecretProps) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title={`Copy the ${label} now`} role="alert">
        It will not be shown again. Roster stores only a hash of it: if it is lost, generate a new one.
      </Alert>
      <CopyField label={label} value={secret} />
      {onDone && (
        <Group justify="flex-end">
          <Button onClick={onDone}>I have copied it</Button>
        </Group>
      )}
    </Stack>
  );
}
