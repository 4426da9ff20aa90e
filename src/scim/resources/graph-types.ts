/** The shapes the facade's GraphQL documents return (see operations.ts). */

/** A multi-valued element as GraphQL returns it. */
export type GraphMulti = Record<string, string | boolean | null>;

/** A user as selected by USER_FIELDS. */
export interface GraphUser {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  name: Record<string, string | null>;
  displayName: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  emails: GraphMulti[];
  phoneNumbers: GraphMulti[];
  ims: GraphMulti[];
  photos: GraphMulti[];
  addresses: GraphMulti[];
  entitlements: GraphMulti[];
  roles: GraphMulti[];
  x509Certificates: GraphMulti[];
  enterprise: Record<string, string | null> & { manager: { value: string; displayName: string | null } | null };
  staticIp: string | null;
  macAddress: string | null;
  created: string | Date;
  lastModified: string | Date;
  version: number;
  groups?: { id: string; displayName: string }[];
}

/** A group as selected by GROUP_FIELDS. */
export interface GraphGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  created: string | Date;
  lastModified: string | Date;
  version: number;
  members?: { nodes: { id: string; type: string; display: string | null }[] };
}
