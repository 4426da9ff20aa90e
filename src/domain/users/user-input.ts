import { InvalidValue } from '../errors/domain-errors.js';
import type { MultiValue } from './user-record.js';

/** Writable attributes of a user. On replace, an omitted attribute is cleared; on update, kept. */
export interface UserInput {
  userName?: string;
  externalId?: string | null;
  active?: boolean | null;
  name?: Partial<Record<'formatted' | 'familyName' | 'givenName' | 'middleName' | 'honorificPrefix' | 'honorificSuffix', string | null>> | null;
  displayName?: string | null;
  nickName?: string | null;
  profileUrl?: string | null;
  title?: string | null;
  userType?: string | null;
  preferredLanguage?: string | null;
  locale?: string | null;
  timezone?: string | null;
  emails?: MultiValue[] | null;
  phoneNumbers?: MultiValue[] | null;
  ims?: MultiValue[] | null;
  photos?: MultiValue[] | null;
  addresses?: MultiValue[] | null;
  entitlements?: MultiValue[] | null;
  roles?: MultiValue[] | null;
  x509Certificates?: MultiValue[] | null;
  enterprise?: Partial<Record<'employeeNumber' | 'costCenter' | 'organization' | 'division' | 'department' | 'managerValue', string | null>> | null;
  staticIp?: string | null;
  macAddress?: string | null;
  /** write-only; stored as a slow hash */
  password?: string | null;
}

/** The multi-valued attributes, in entity property names. */
export const MULTI_VALUED = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'] as const;

/** The single-valued string attributes stored one to one. */
export const SIMPLE_STRINGS = ['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'staticIp', 'macAddress'] as const;

const MAX_STRING = 2048;
const MAX_VALUES = 100;

/** Trims nothing (IdP values are kept as sent) but bounds sizes and rejects what cannot be stored. */
export function checkString(field: string, v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw new InvalidValue(`${field} must be a string.`);
  if (v.length > MAX_STRING) throw new InvalidValue(`${field} is longer than ${MAX_STRING} characters.`);
  if (v.includes('\u0000')) throw new InvalidValue(`${field} contains a NUL character.`);
  return v;
}

/** Validates a multi-valued attribute: bounded, string sub-attributes, at most one primary (RFC 7643 §2.4). */
export function checkMulti(field: string, list: MultiValue[] | null | undefined): MultiValue[] | undefined {
  if (list === undefined) return undefined;
  if (list === null) return [];
  if (!Array.isArray(list)) throw new InvalidValue(`${field} must be a list.`);
  if (list.length > MAX_VALUES) throw new InvalidValue(`${field} has more than ${MAX_VALUES} values.`);
  const out = list.map((item, i) => {
    if (!item || typeof item !== 'object') throw new InvalidValue(`${field}[${i}] must be an object.`);
    const clean: MultiValue = {};
    for (const [k, v] of Object.entries(item)) {
      if (v === null || v === undefined) continue;
      if (k === 'primary') {
        if (typeof v !== 'boolean') throw new InvalidValue(`${field}[${i}].primary must be a boolean.`);
        if (v) clean.primary = true;
      } else {
        (clean as Record<string, unknown>)[k] = checkString(`${field}[${i}].${k}`, v as string);
      }
    }
    return clean;
  });
  if (out.filter((v) => v.primary).length > 1) throw new InvalidValue(`Only one of ${field} may be primary.`);
  return out;
}

/** userName: required, non-blank, bounded. */
export function checkUserName(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InvalidValue('userName is required and must be a non-empty string.');
  if (v.length > 256) throw new InvalidValue('userName is longer than 256 characters.');
  return checkString('userName', v)!;
}
