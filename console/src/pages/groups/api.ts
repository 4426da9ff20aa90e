import type { FilterInput } from '../users/filters';

export interface GroupRow {
  id: string;
  displayName: string;
  source: string;
  memberCount: number;
  lastModified: string;
  created: string;
}

export interface GroupsData {
  groups: { totalCount: number; nodes: GroupRow[] };
}

export interface GroupsVars {
  filter: FilterInput | null;
  orderBy: { path: string; direction: 'ASC' | 'DESC' };
  limit: number;
  offset: number;
}

const ROW = `id displayName source memberCount lastModified created`;

export const GROUPS_QUERY = /* GraphQL */ `
  query Groups($filter: FilterInput, $orderBy: OrderByInput, $limit: Int, $offset: Int) {
    groups(filter: $filter, orderBy: $orderBy, limit: $limit, offset: $offset) {
      totalCount
      nodes {
        ${ROW}
      }
    }
  }
`;

export interface MemberRow {
  id: string;
  type: string;
  display: string | null;
  user: { id: string; userName: string; active: boolean; email: string | null; source: string } | null;
  group: { id: string; displayName: string } | null;
}

export interface GroupDetailData {
  group: (GroupRow & { externalId: string | null; version: number; members: { nodes: MemberRow[] } }) | null;
}

export const GROUP_QUERY = /* GraphQL */ `
  query Group($id: ID!, $limit: Int!, $offset: Int!) {
    group(id: $id) {
      ${ROW}
      externalId
      version
      members(limit: $limit, offset: $offset) {
        nodes {
          id
          type
          display
          user {
            id
            userName
            active
            email
            source
          }
          group {
            id
            displayName
          }
        }
      }
    }
  }
`;

export const ADD_MEMBERS = /* GraphQL */ `
  mutation AddGroupMembers($id: ID!, $members: [MemberInput!]!) {
    addGroupMembers(id: $id, members: $members) {
      id
      memberCount
      version
    }
  }
`;

export const REMOVE_MEMBERS = /* GraphQL */ `
  mutation RemoveGroupMembers($id: ID!, $memberIds: [ID!]!) {
    removeGroupMembers(id: $id, memberIds: $memberIds) {
      id
      memberCount
      version
    }
  }
`;

export const DELETE_GROUP = /* GraphQL */ `
  mutation DeleteGroup($id: ID!, $force: Boolean) {
    deleteGroup(id: $id, force: $force)
  }
`;

export const USER_PICKER_QUERY = /* GraphQL */ `
  query PickUsers($filter: FilterInput) {
    users(filter: $filter, limit: 10, offset: 0, orderBy: { path: "userName", direction: ASC }) {
      nodes {
        id
        userName
        displayName
        email
        active
      }
    }
  }
`;

export interface PickUsersData {
  users: { nodes: { id: string; userName: string; displayName: string | null; email: string | null; active: boolean }[] };
}
