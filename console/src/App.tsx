import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { errorMessage } from './components';
import NotFoundPage from './pages/NotFoundPage';
import SignInPage from './pages/SignInPage';
import { HOME_PATH, PAGES } from './routes';
import { useViewer } from './session/ViewerProvider';
import { Shell } from './shell/Shell';

/** The console's routes: /sign-in for everyone, every other page inside the shell for a signed-in caller. */
export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<SignedIn />}>
        <Route index element={<Navigate to={HOME_PATH} replace />} />
        {PAGES.map(({ path, Component }) => (
          <Route key={path} path={`${path}/*`} element={<Component />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The shell once `viewer` answers; the sign-in page when it answers UNAUTHENTICATED. */
function SignedIn() {
  const { state, refresh } = useViewer();
  switch (state.status) {
    case 'loading':
      return (
        <Center h="100vh">
          <Loader role="status" aria-label="Loading" />
        </Center>
      );
    case 'signed-out':
      return <Navigate to="/sign-in" replace />;
    case 'error':
      return (
        <Center h="100vh" p="md">
          <Alert color="red" title="Roster did not answer" role="alert" maw={480}>
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{errorMessage(state.error)}</Text>
              <Button size="xs" variant="light" color="red" onClick={() => void refresh()}>
                Retry
              </Button>
            </Stack>
          </Alert>
        </Center>
      );
    case 'signed-in':
      return <Shell viewer={state.viewer} />;
  }
}
