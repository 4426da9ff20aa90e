import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { useViewer } from '../../../session/ViewerProvider';

/** The roles that may manage provisioning, single sign-on, API keys and read the audit log (the server's ADMINISTER). */
export const ADMIN_ROLES: readonly string[] = ['OWNER', 'ADMIN'];

/** The signed-in viewer's role, or null while nobody is signed in. */
export function useViewerRole(): string | null {
  const { state } = useViewer();
  return state.status === 'signed-in' ? state.viewer.role : null;
}

/** The name of the API key the current session was opened with (null for SSO sessions). */
export function useViewerCredentialName(): string | null {
  const { state } = useViewer();
  return state.status === 'signed-in' ? state.viewer.credentialName : null;
}

/**
 * The page's content for an OWNER or ADMIN; a notice for anyone else (its queries never run: the
 * server would refuse them anyway).
 */
export function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const role = useViewerRole();
  if (role && ADMIN_ROLES.includes(role)) return <>{children}</>;
  return (
    <Alert color="blue" title="This page needs ADMIN" role="status">
      Your role is {role ?? 'unknown'}: {what} needs the ADMIN or OWNER role. Ask an owner of Roster for it, or sign in with an ADMIN API key.
    </Alert>
  );
}
