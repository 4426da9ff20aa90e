import type { GroupRecord } from '../domain/groups/group-record.js';
import type { MultiValue } from '../domain/users/user-record.js';
import type { UserInput } from '../domain/users/user-input.js';
import { isWholeUser, type UserAnswer, type UserRecord } from '../domain/users/user-record.js';
import type { GroupType } from './types/group.type.js';
import type { UserInputType } from './inputs/user.input.js';
import { UserType } from './types/user.type.js';

const pick = (list: MultiValue[], pred: (v: MultiValue) => boolean): MultiValue | undefined => list.find(pred);

/** The product's profile views over the SCIM attributes (DESIGN §2). */
export function profileViews(u: Pick<UserRecord, 'emails' | 'phoneNumbers' | 'addresses'>) {
  return {
    email: (pick(u.emails, (e) => !!e.primary) ?? pick(u.emails, (e) => e.type === 'work') ?? u.emails[0])?.value ?? null,
    secondEmail: pick(u.emails, (e) => e.type === 'other')?.value ?? null,
    mobilePhone: pick(u.phoneNumbers, (p) => p.type === 'mobile')?.value ?? null,
    postalAddress: (pick(u.addresses, (a) => !!a.primary) ?? u.addresses[0])?.formatted ?? null,
  };
}

/** Every property of T, optional ones too (so that none is forgotten), each with its own type. */
type Every<T> = { [K in keyof Required<T>]: T[K] };

/**
 * A user record as the GraphQL User: an instance of the class, so that type-graphql hands it to the
 * `groups` field resolver as it is, instead of copying it into a new instance twice per call (a page
 * of 100 users made 200 copies of 40 properties).
 */
export function toUserType(u: UserRecord): UserType {
  const { managerValue, ...ent } = u.enterprise;
  const views = profileViews(u);
  const fields: Every<UserType> = {
    id: u.id,
    userName: u.userName,
    externalId: u.externalId,
    active: u.active,
    name: u.name,
    displayName: u.displayName,
    nickName: u.nickName,
    profileUrl: u.profileUrl,
    title: u.title,
    userType: u.userType,
    preferredLanguage: u.preferredLanguage,
    locale: u.locale,
    timezone: u.timezone,
    emails: u.emails,
    phoneNumbers: u.phoneNumbers,
    ims: u.ims,
    photos: u.photos,
    addresses: u.addresses,
    entitlements: u.entitlements,
    roles: u.roles,
    x509Certificates: u.x509Certificates,
    enterprise: { ...ent, manager: managerValue ? { value: managerValue } : null },
    staticIp: u.staticIp,
    macAddress: u.macAddress,
    email: views.email,
    secondEmail: views.secondEmail,
    mobilePhone: views.mobilePhone,
    postalAddress: views.postalAddress,
    source: u.source,
    created: u.createdAt,
    lastModified: u.updatedAt,
    version: u.version,
    memberOf: u.groups,
  };
  return Object.assign(new UserType(), fields);
}

/** A group record as the GraphQL Group. */
export function toGroupType(g: GroupRecord): GroupType {
  return { id: g.id, displayName: g.displayName, externalId: g.externalId, source: g.source, created: g.createdAt, lastModified: g.updatedAt, version: g.version, writtenMembers: g.members };
}

/** Replaces (or removes, for null) the one value matching `pred`, keeping the others. */
function setView(list: MultiValue[], pred: (v: MultiValue) => boolean, value: string | null, make: (v: string) => MultiValue): MultiValue[] {
  const others = list.filter((v) => !pred(v));
  return value === null ? others : [...others, make(value)];
}

/** A GraphQL user input as the domain's, folding the profile views into the SCIM attributes. */
export function toUserInput(i: UserInputType, current?: Pick<UserRecord, 'emails' | 'phoneNumbers' | 'addresses'>): UserInput {
  const { secondEmail, mobilePhone, postalAddress, enterprise, ...rest } = i;
  const out: UserInput = { ...rest };
  if (enterprise !== undefined) {
    out.enterprise = enterprise === null ? null : (({ manager, ...e }) => ({ ...e, ...(manager !== undefined ? { managerValue: manager } : {}) }))(enterprise);
  }
  const base = (k: 'emails' | 'phoneNumbers' | 'addresses') => out[k] ?? current?.[k] ?? [];
  if (secondEmail !== undefined)
    out.emails = setView(
      base('emails'),
      (e) => e.type === 'other',
      secondEmail,
      (value) => ({ value, type: 'other' }),
    );
  if (mobilePhone !== undefined)
    out.phoneNumbers = setView(
      base('phoneNumbers'),
      (p) => p.type === 'mobile',
      mobilePhone,
      (value) => ({ value, type: 'mobile' }),
    );
  if (postalAddress !== undefined) {
    const list = base('addresses');
    const target = list.find((a) => a.primary) ?? list[0];
    out.addresses =
      postalAddress === null ? list.filter((a) => a !== target) : target ? list.map((a) => (a === target ? { ...a, formatted: postalAddress } : a)) : [{ formatted: postalAddress, primary: true }];
  }
  return out;
}

/**
 * A write's answer as the GraphQL User. A stamp (the id and version alone) is answered only to a
 * caller that selected nothing else (see `selectsOnly` in the user resolver), so no other field of
 * it is ever resolved.
 */
export function toUserAnswerType(a: UserAnswer): UserType {
  if (isWholeUser(a)) return toUserType(a);
  return Object.assign(Object.create(UserType.prototype) as UserType, { id: a.id, version: a.version });
}
