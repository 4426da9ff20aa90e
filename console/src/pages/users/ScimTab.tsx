import { ActionIcon, Alert, Button, Center, Code, CopyButton, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CheckIcon, CopyIcon } from '../../components/icons';

type ScimState = { key: string; json: string; error?: undefined } | { key: string; error: string; json?: undefined };

/** GET /scim/v2/Users/{id} with the console's session cookie: exactly what an IdP reads. */
export async function fetchScimUser(id: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`/scim/v2/Users/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { Accept: 'application/scim+json' }, signal });
  const text = await res.text();
  if (!res.ok) {
    let detail: string;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? '';
    } catch {
      detail = '';
    }
    throw new Error(`SCIM answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
  return JSON.stringify(JSON.parse(text), null, 2);
}

/** The user as SCIM serves it, pretty-printed, with a copy button. */
export function ScimTab({ id }: { id: string }) {
  const [attempt, setAttempt] = useState(0);
  const key = `${id}#${attempt}`;
  const [state, setState] = useState<ScimState | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    fetchScimUser(id, ctrl.signal).then(
      (json) => setState({ key, json }),
      (err: unknown) => {
        if (!ctrl.signal.aborted) setState({ key, error: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => ctrl.abort();
  }, [id, key]);

  const url = `/scim/v2/Users/${id}`;
  if (!state || state.key !== key) {
    return (
      <Center py="xl">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (state.error !== undefined) {
    return (
      <Alert color="red" title="Something went wrong" role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{state.error}</Text>
          <Button size="xs" variant="light" color="red" onClick={() => setAttempt(attempt + 1)}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          GET <Code>{url}</Code>, as an IdP reads it
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => setAttempt(attempt + 1)} aria-label="Reload SCIM JSON">
            Reload
          </Button>
          <CopyButton value={state.json} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                <ActionIcon variant="default" size="lg" onClick={copy} aria-label={copied ? 'SCIM JSON copied' : 'Copy SCIM JSON'}>
                  {copied ? <CheckIcon /> : <CopyIcon />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      </Group>
      <Code block data-testid="scim-json" tabIndex={0} aria-label="SCIM JSON of the user" style={{ maxHeight: 600, overflow: 'auto' }}>
        {state.json}
      </Code>
    </Stack>
  );
}
