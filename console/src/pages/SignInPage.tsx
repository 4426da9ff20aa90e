import { Alert, Button, Center, Divider, Loader, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { fetchSignInOptions, signInWithKey, ssoLoginUrl, type SignInOption } from '../session/auth-api';
import { useViewer } from '../session/ViewerProvider';

/** /admin/sign-in: one button per identity provider, and an API key for the first set-up. */
export default function SignInPage() {
  const { state } = useViewer();
  if (state.status === 'signed-in') return <Navigate to="/" replace />;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack gap="lg">
          <Title order={1} size="h3">
            Sign in to Roster
          </Title>
          <SsoButtons />
          <Divider label="or, to set Roster up" labelPosition="center" />
          <ApiKeyForm />
        </Stack>
      </Paper>
    </Center>
  );
}

function SsoButtons() {
  const [idps, setIdps] = useState<SignInOption[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetchSignInOptions().then(
      (list) => live && setIdps(list),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, []);

  if (error) return <Alert color="red">{error}</Alert>;
  if (!idps) return <Loader size="sm" role="status" aria-label="Loading identity providers" />;
  if (idps.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No identity provider is set up for single sign-on yet. Sign in with an API key to set one up.
      </Text>
    );
  return (
    <Stack gap="xs">
      {idps.map(({ idp, label }) => (
        <Button key={idp} component="a" href={ssoLoginUrl(idp)} fullWidth>
          Sign in with SSO{idps.length > 1 ? `: ${label}` : ''}
        </Button>
      ))}
    </Stack>
  );
}

function ApiKeyForm() {
  const { refresh } = useViewer();
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithKey(key.trim());
      setKey('');
      const next = await refresh();
      if (next.status === 'signed-in') void navigate('/', { replace: true });
      else setError('Signed in, but Roster does not recognise the session: try again.');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="sm">
        <PasswordInput
          label="Sign in with an API key"
          description="An OWNER or ADMIN key, e.g. from `npm run roster -- create-api-key`."
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={error}
          required
        />
        <Button type="submit" variant="light" loading={busy} disabled={key.trim() === ''}>
          Sign in with an API key
        </Button>
      </Stack>
    </form>
  );
}
