import type { FilterInput } from './filters';

export interface MultiValue {
  value: string | null;
  type: string | null;
  primary: boolean | null;
  display?: string | null;
}

export interface Address {
  formatted: string | null;
  streetAddress: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  type: string | null;
  primary: boolean | null;
}

export interface UserRow {
  id: string;
  userName: string;
  displayName: string | null;
  name: { formatted: string | null; givenName: string | null; familyName: string | null };
  email: string | null;
  active: boolean;
  source: string;
  lastModified: string;
  created: string;
}

export interface UserDetail extends UserRow {
  externalId: string | null;
  version: number;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  hasPassword: boolean;
  secondEmail: string | null;
  mobilePhone: string | null;
  postalAddress: string | null;
  staticIp: string | null;
  macAddress: string | null;
  name: UserRow['name'] & { middleName: string | null; honorificPrefix: string | null; honorificSuffix: string | null };
  emails: MultiValue[];
  phoneNumbers: MultiValue[];
  ims: MultiValue[];
  photos: MultiValue[];
  roles: MultiValue[];
  entitlements: MultiValue[];
  addresses: Address[];
  enterprise: {
    employeeNumber: string | null;
    costCenter: string | null;
    organization: string | null;
    division: string | null;
    department: string | null;
    manager: { value: string; displayName: string | null } | null;
  };
}

export interface UsersData {
  users: { totalCount: number; nodes: UserRow[] };
}

export interface UsersVars {
  filter: FilterInput | null;
  orderBy: { path: string; direction: 'ASC' | 'DESC' };
  limit: number;
  offset: number;
}

const ROW_FIELDS = `
  id
  userName
  displayName
  name {
    formatted
    givenName
    familyName
  }
  email
  active
  source
  lastModified
  created
`;

export const USERS_QUERY = /* GraphQL */ `
  query Users($filter: FilterInput, $orderBy: OrderByInput, $limit: Int, $offset: Int) {
    users(filter: $filter, orderBy: $orderBy, limit: $limit, offset: $offset) {
      totalCount
      nodes {
        ${ROW_FIELDS}
      }
    }
  }
`;

const MV = `value type primary display`;

const DETAIL_FIELDS = `
  ${ROW_FIELDS}
  externalId
  version
  nickName
  profileUrl
  title
  userType
  preferredLanguage
  locale
  timezone
  hasPassword
  secondEmail
  mobilePhone
  postalAddress
  staticIp
  macAddress
  name {
    formatted
    givenName
    familyName
    middleName
    honorificPrefix
    honorificSuffix
  }
  emails { ${MV} }
  phoneNumbers { ${MV} }
  ims { ${MV} }
  photos { ${MV} }
  roles { ${MV} }
  entitlements { ${MV} }
  addresses {
    formatted
    streetAddress
    locality
    region
    postalCode
    country
    type
    primary
  }
  enterprise {
    employeeNumber
    costCenter
    organization
    division
    department
    manager {
      value
      displayName
    }
  }
`;

export const USER_QUERY = /* GraphQL */ `
  query User($id: ID!) {
    user(id: $id) {
      ${DETAIL_FIELDS}
    }
  }
`;

export interface UserData {
  user: UserDetail | null;
}

export const USER_GROUPS_QUERY = /* GraphQL */ `
  query UserGroups($id: ID!) {
    user(id: $id) {
      id
      groups {
        id
        displayName
        source
        memberCount
      }
    }
  }
`;

export interface UserGroupsData {
  user: { id: string; groups: { id: string; displayName: string; source: string; memberCount: number }[] } | null;
}

export const SET_ACTIVE = {
  activate: /* GraphQL */ `
    mutation ActivateUser($id: ID!, $force: Boolean) {
      activateUser(id: $id, force: $force) {
        ${DETAIL_FIELDS}
      }
    }
  `,
  deactivate: /* GraphQL */ `
    mutation DeactivateUser($id: ID!, $force: Boolean) {
      deactivateUser(id: $id, force: $force) {
        ${DETAIL_FIELDS}
      }
    }
  `,
};

export const UPDATE_USER = /* GraphQL */ `
  mutation UpdateUser($id: ID!, $input: UserInputType!, $expectedVersion: Int) {
    updateUser(id: $id, input: $input, expectedVersion: $expectedVersion) {
      ${DETAIL_FIELDS}
    }
  }
`;

export interface SessionRow {
  id: string;
  idp: string;
  role: string;
  address: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
}

export const SESSIONS_QUERY = /* GraphQL */ `
  query UserSessions($userId: ID!, $includeEnded: Boolean!) {
    sessions(userId: $userId, includeEnded: $includeEnded, first: 100) {
      id
      idp
      role
      address
      userAgent
      createdAt
      lastSeenAt
      expiresAt
      endedAt
      endReason
    }
  }
`;

export interface SessionsData {
  sessions: SessionRow[];
}

export const REVOKE_SESSION = /* GraphQL */ `
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id) {
      id
      endedAt
      endReason
    }
  }
`;

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  changed: string[];
  ignored: string[];
  requestId: string | null;
}

export const AUDIT_QUERY = /* GraphQL */ `
  query ResourceAudit($filter: AuditFilterInput, $first: Int!, $offset: Int!) {
    auditLog(filter: $filter, first: $first, offset: $offset) {
      totalCount
      hasNextPage
      nodes {
        id
        at
        actor
        action
        changed
        ignored
        requestId
      }
    }
  }
`;

export interface AuditData {
  auditLog: { totalCount: number; hasNextPage: boolean; nodes: AuditRow[] };
}

/** What the Name column shows: displayName, else given + family, else name.formatted. */
export function personName(u: Pick<UserRow, 'displayName' | 'name'>): string {
  if (u.displayName) return u.displayName;
  const parts = [u.name.givenName, u.name.familyName].filter(Boolean).join(' ');
  return parts || u.name.formatted || '';
}
