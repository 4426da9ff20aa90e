/** The GraphQL operations of the Single sign-on page. */

export interface SamlCertificateNode {
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
}

export interface SamlRoleMappingNode {
  group: string;
  role: string;
}

export interface SamlConnectionNode {
  idp: string;
  entityId: string;
  ssoUrl: string;
  ssoBinding: string;
  acsUrl: string;
  spEntityId: string;
  isDefault: boolean;
  jitProvisioning: boolean;
  matchEmail: boolean;
  wantResponseSigned: boolean;
  roleMappings: SamlRoleMappingNode[];
  certificates: SamlCertificateNode[];
  createdAt: string;
  updatedAt: string;
}

const CONNECTION_FIELDS = `
  idp entityId ssoUrl ssoBinding acsUrl spEntityId isDefault jitProvisioning matchEmail wantResponseSigned
  roleMappings { group role }
  certificates { subject notBefore notAfter fingerprintSha256 }
  createdAt updatedAt
`;

export const SAML_CONNECTIONS_QUERY = /* GraphQL */ `
  query SamlConnections {
    samlConnections { ${CONNECTION_FIELDS} }
  }
`;

export const CONFIGURE_SAML = /* GraphQL */ `
  mutation ConfigureSaml($idp: String!, $metadataXml: String!) {
    configureSaml(idp: $idp, metadataXml: $metadataXml) { ${CONNECTION_FIELDS} }
  }
`;

export const SET_SAML_OPTIONS = /* GraphQL */ `
  mutation SetSamlOptions($idp: String!, $options: SamlOptionsInput!) {
    setSamlOptions(idp: $idp, options: $options) { ${CONNECTION_FIELDS} }
  }
`;

export const REMOVE_SAML = /* GraphQL */ `
  mutation RemoveSaml($idp: String!) {
    removeSaml(idp: $idp)
  }
`;

/** The roles a group may map to, least first. */
export const MAPPABLE_ROLES = ['READER', 'ADMIN', 'OWNER'] as const;

/** The attribute statements Roster reads from Okta's assertion (Name format: Unspecified). */
export const ATTRIBUTE_STATEMENTS: readonly { name: string; value: string }[] = [
  { name: 'firstName', value: 'user.firstName' },
  { name: 'lastName', value: 'user.lastName' },
  { name: 'email', value: 'user.email' },
  { name: 'loginId', value: 'user.login' },
];

/** What every IdP is told about Roster, as the server lays it out (from PUBLIC_URL). */
export const SAML_SERVICE_PROVIDER_QUERY = /* GraphQL */ `
  query SamlServiceProvider {
    samlServiceProvider {
      spEntityId
      acsUrl
      metadataUrl
      loginUrl
    }
  }
`;

export interface SamlServiceProviderNode {
  spEntityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
}
