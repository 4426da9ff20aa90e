import { Alert, Anchor, Group, Stack, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ConfirmButton, EmptyState, PageHeader, QueryState } from '../../components';
import { personName, SET_ACTIVE, USER_QUERY, type UserData, type UserDetail as User } from './api';
import { AuditTrail } from './AuditTrail';
import { ProfileTab } from './ProfileTab';
import { ScimTab } from './ScimTab';
import { SessionsTab } from './SessionsTab';
import { AuthProviderBadge, StatusBadge, throwIfError, useCanAdminister } from './shared';
import { UserGroupsTab } from './UserGroupsTab';

export const USER_TABS = [
  { value: 'profile', label: 'Profile' },
  { value: 'groups', label: 'Groups' },
  { value: 'sessions', label: 'Sessions' },
  { value: 'scim', label: 'SCIM' },
  { value: 'audit', label: 'Audit' },
] as const;

/** The notice on everything an IdP manages. */
export function ManagedNotice({ source, children }: { source: string; children?: ReactNode }) {
  return (
    <Alert color="blue" title={`Managed by ${source}`} data-testid="managed-notice" role="note">
      {children ?? 'Change it in the IdP: local edits would be overwritten by the next push.'}
    </Alert>
  );
}

function ActiveAction({ user, onDone }: { user: User; onDone: () => void }) {
  const [, activate] = useMutation(SET_ACTIVE.activate);
  const [, deactivate] = useMutation(SET_ACTIVE.deactivate);
  const managed = user.source !== 'local';
  const name = personName(user) || user.userName;
  const vars = { id: user.id, force: managed ? true : null };
  const pushBack = managed ? (
    <Text size="sm" mt="sm" c="orange" component="span" display="block">
      {name} is managed by {user.source}: {user.source} may push the old state back on its next update. Change it in {user.source} too.
    </Text>
  ) : null;
  if (user.active) {
    return (
      <ConfirmButton
        title={`Deactivate ${name}?`}
        confirmLabel="Deactivate"
        message={
          <>
            {name} can no longer sign in, and every session they have ends now. They stay listed and can be activated again.
            {pushBack}
          </>
        }
        onConfirm={async () => {
          throwIfError(await deactivate(vars));
          onDone();
        }}
      >
        Deactivate
      </ConfirmButton>
    );
  }
  return (
    <ConfirmButton
      title={`Activate ${name}?`}
      confirmLabel="Activate"
      color="green"
      message={
        <>
          {name} can sign in again.
          {pushBack}
        </>
      }
      onConfirm={async () => {
        throwIfError(await activate(vars));
        onDone();
      }}
    >
      Activate
    </ConfirmButton>
  );
}

/** /users/:id and /users/:id/:tab: one user, with routable tabs. */
export default function UserDetail() {
  const { id = '', tab = 'profile' } = useParams();
  const navigate = useNavigate();
  const canAdminister = useCanAdminister();
  const [result, reexecute] = useQuery<UserData>({ query: USER_QUERY, variables: { id } });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const current = USER_TABS.some((t) => t.value === tab) ? tab : 'profile';

  return (
    <>
      <Anchor component={Link} to="/users" size="sm">
        ← Users
      </Anchor>
      <QueryState<UserData> result={result} onRetry={refresh} isEmpty={(d) => !d.user} emptyTitle="User not found" emptyText="No user has this id: it may have been deleted.">
        {({ user }) =>
          user ? (
            <Stack gap="md" mt="sm">
              <PageHeader
                title={personName(user) || user.userName}
                description={
                  <Group gap="xs" component="span">
                    <span>{user.userName}</span>
                    <StatusBadge active={user.active} />
                    <span>Auth Provider:</span>
                    <AuthProviderBadge source={user.source} />
                  </Group>
                }
                actions={canAdminister ? <ActiveAction user={user} onDone={refresh} /> : undefined}
              />
              {user.source !== 'local' && <ManagedNotice source={user.source} />}
              <Tabs value={current} onChange={(value) => value && void navigate(`/users/${user.id}/${value}`)} keepMounted={false}>
                <Tabs.List aria-label="User details">
                  {USER_TABS.map((t) => (
                    <Tabs.Tab key={t.value} value={t.value}>
                      {t.label}
                    </Tabs.Tab>
                  ))}
                </Tabs.List>
                <Tabs.Panel value="profile" pt="md">
                  <ProfileTab user={user} canEdit={canAdminister && user.source === 'local'} onSaved={refresh} />
                </Tabs.Panel>
                <Tabs.Panel value="groups" pt="md">
                  <UserGroupsTab id={user.id} />
                </Tabs.Panel>
                <Tabs.Panel value="sessions" pt="md">
                  <SessionsTab userId={user.id} />
                </Tabs.Panel>
                <Tabs.Panel value="scim" pt="md">
                  <ScimTab id={user.id} />
                </Tabs.Panel>
                <Tabs.Panel value="audit" pt="md">
                  <AuditTrail resourceId={user.id} />
                </Tabs.Panel>
              </Tabs>
            </Stack>
          ) : (
            <EmptyState title="User not found" />
          )
        }
      </QueryState>
    </>
  );
}
