import type { ComponentType } from 'react';
import ApiKeysPage from './pages/ApiKeysPage';
import AuditLogPage from './pages/AuditLogPage';
import GroupsPage from './pages/GroupsPage';
import ProvisioningPage from './pages/ProvisioningPage';
import SsoPage from './pages/SsoPage';
import UsersPage from './pages/UsersPage';

/** One console page: where it lives (under /admin), its name in the navbar, and the section it sits in. */
export interface ConsolePage {
  path: string;
  label: string;
  section?: string;
  Component: ComponentType;
}

/** The navbar and the router both read this table: a page is added here and in its own file under pages/. */
export const PAGES: readonly ConsolePage[] = [
  { path: '/users', label: 'Users', section: 'User Management', Component: UsersPage },
  { path: '/groups', label: 'Groups', section: 'User Management', Component: GroupsPage },
  { path: '/provisioning', label: 'Provisioning', Component: ProvisioningPage },
  { path: '/sso', label: 'Single sign-on', Component: SsoPage },
  { path: '/api-keys', label: 'API keys', Component: ApiKeysPage },
  { path: '/audit', label: 'Audit log', Component: AuditLogPage },
];

/** The page the console opens on. */
export const HOME_PATH = '/users';
