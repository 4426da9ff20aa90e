/** The GraphQL operations of the Provisioning page. */

export interface ProvisioningNode {
  idp: string;
  active: boolean;
  activatedAt: string;
  deactivatedAt: string | null;
  lastScimRequestAt: string | null;
  scimBaseUrl: string;
}

export interface CredentialNode {
  id: string;
  kind: string;
  idp: string | null;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ScimRequestNode {
  id: string;
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

const CREDENTIAL_FIELDS = 'id kind idp name role prefix createdAt lastUsedAt revokedAt';
const PROVISIONING_FIELDS = 'idp active activatedAt deactivatedAt lastScimRequestAt scimBaseUrl';

export const PROVISIONING_QUERY = /* GraphQL */ `
  query ProvisioningPage {
    provisioning { ${PROVISIONING_FIELDS} }
    credentials { ${CREDENTIAL_FIELDS} }
  }
`;

export const SCIM_REQUESTS_QUERY = /* GraphQL */ `
  query ScimRequests($idp: String!, $first: Int!) {
    scimRequests(idp: $idp, first: $first) {
      id
      at
      method
      path
      status
      durationMs
    }
  }
`;

/** Turns provisioning on (or keeps it on) and issues one more token; the old ones keep working. */
export const ACTIVATE_PROVISIONING = /* GraphQL */ `
  mutation ActivateProvisioning($idp: String!) {
    activateProvisioning(idp: $idp) {
      scimBaseUrl
      token
      provisioning { ${PROVISIONING_FIELDS} }
      credential { ${CREDENTIAL_FIELDS} }
    }
  }
`;

export const DEACTIVATE_PROVISIONING = /* GraphQL */ `
  mutation DeactivateProvisioning($idp: String!) {
    deactivateProvisioning(idp: $idp) { ${PROVISIONING_FIELDS} }
  }
`;

/** Issues one more token for the IdP; the old ones keep working until revoked (rotation with overlap). */
export const ISSUE_SCIM_TOKEN = /* GraphQL */ `
  mutation IssueScimToken($idp: String!, $name: String) {
    issueScimToken(idp: $idp, name: $name) {
      secret
      credential { ${CREDENTIAL_FIELDS} }
    }
  }
`;

/** Issues a new token and revokes every other token of the IdP at once. */
export const ROTATE_SCIM_TOKEN = /* GraphQL */ `
  mutation RotateScimToken($idp: String!) {
    rotateScimToken(idp: $idp) {
      secret
      credential { ${CREDENTIAL_FIELDS} }
    }
  }
`;

export const REVOKE_CREDENTIAL = /* GraphQL */ `
  mutation RevokeCredential($id: ID!) {
    revokeCredential(id: $id) { ${CREDENTIAL_FIELDS} }
  }
`;
