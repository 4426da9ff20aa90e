import type { CredentialNode } from '../provisioning/queries';

export type { CredentialNode };

const CREDENTIAL_FIELDS = 'id kind idp name role prefix createdAt lastUsedAt revokedAt';

export const API_KEYS_QUERY = /* GraphQL */ `
  query ApiKeys {
    credentials { ${CREDENTIAL_FIELDS} }
  }
`;

export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateApiKey($name: String!, $role: String!) {
    createApiKey(name: $name, role: $role) {
      secret
      credential { ${CREDENTIAL_FIELDS} }
    }
  }
`;

export { REVOKE_CREDENTIAL } from '../provisioning/queries';
