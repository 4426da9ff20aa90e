import { AppShell, Badge, Burger, Button, Group, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Outlet, useNavigate } from 'react-router';
import { signOut } from '../session/auth-api';
import { viewerName, type Viewer } from '../session/viewer';
import { useViewer } from '../session/ViewerProvider';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { Navbar } from './Navbar';

/** The frame around every signed-in page: header (who is signed in, theme, sign out), navbar, and the page. */
export function Shell({ viewer }: { viewer: Viewer }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { clear } = useViewer();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);

  const onSignOut = async () => {
    setLeaving(true);
    try {
      await signOut();
    } finally {
      clear();
      void navigate('/sign-in', { replace: true });
    }
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              Roster
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group gap={6} wrap="nowrap" data-testid="signed-in-identity">
              <Text size="sm" fw={500} truncate>
                {viewerName(viewer)}
              </Text>
              <Badge variant="light" size="sm">
                {viewer.role}
              </Badge>
              {viewer.idp && (
                <Text size="xs" c="dimmed" visibleFrom="sm">
                  via {viewer.idp}
                </Text>
              )}
            </Group>
            <ColorSchemeToggle />
            <Button variant="default" size="sm" onClick={() => void onSignOut()} loading={leaving}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Navbar onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
