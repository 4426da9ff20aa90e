export interface AuditEventNode {
  id: string;
  at: string;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  changed: string[];
  ignored: string[];
  requestId: string | null;
}

export interface AuditLogData {
  auditLog: { nodes: AuditEventNode[]; totalCount: number; hasNextPage: boolean };
}

export const AUDIT_LOG_QUERY = /* GraphQL */ `
  query AuditLog($filter: AuditFilterInput, $first: Int!, $offset: Int!) {
    auditLog(filter: $filter, first: $first, offset: $offset) {
      nodes {
        id
        at
        actor
        action
        resourceType
        resourceId
        changed
        ignored
        requestId
      }
      totalCount
      hasNextPage
    }
  }
`;
