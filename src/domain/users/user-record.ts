import type { GroupRecord } from '../groups/group-record.js';

/** One element of a multi-valued complex attribute (RFC 7643 §2.4): emails, phoneNumbers, … */
export interface MultiValue {
  value?: string;
  display?: string;
  type?: string;
  primary?: boolean;
  /** addresses only (RFC 7643 §4.1.2) */
  formatted?: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** Where a user or group comes from: `local` or the label of the IdP whose SCIM token created it. */
export type Source = string;

/** A user as the directory reads it: plain data, no password hash, no ORM state. */
export interface UserRecord {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  name: {
    formatted: string | null;
    familyName: string | null;
    givenName: string | null;
    middleName: string | null;
    honorificPrefix: string | null;
    honorificSuffix: string | null;
  };
  displayName: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  emails: MultiValue[];
  phoneNumbers: MultiValue[];
  ims: MultiValue[];
  photos: MultiValue[];
  addresses: MultiValue[];
  entitlements: MultiValue[];
  roles: MultiValue[];
  x509Certificates: MultiValue[];
  enterprise: {
    employeeNumber: string | null;
    costCenter: string | null;
    organization: string | null;
    division: string | null;
    department: string | null;
    managerValue: string | null;
  };
  staticIp: string | null;
  macAddress: string | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** the groups the user directly belongs to, when they were read in the same statement */
  groups?: GroupRecord[];
}

/**
 * What a write answers with when its caller asked for nothing but the user's id and version (a SCIM
 * PATCH answered 204 sends only the ETag): the write reads back none of the user's attributes.
 */
export interface UserStamp {
  id: string;
  version: number;
}

/** A write's answer: the user as the write left it, or only its stamp when that is all the caller asked for. */
export type UserAnswer = UserRecord | UserStamp;

/** Whether the answer is the whole user. */
export const isWholeUser = (a: UserAnswer): a is UserRecord => 'userName' in a;
