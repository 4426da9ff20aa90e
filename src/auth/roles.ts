import type { Role } from '../domain/credentials/credential-record.js';

/** Who may read the directory. */
export const READ_DIRECTORY: Role[] = ['OWNER', 'ADMIN', 'READER', 'PROVISIONER'];
/** Who may change users and groups (a PROVISIONER manages only these). */
export const WRITE_DIRECTORY: Role[] = ['OWNER', 'ADMIN', 'PROVISIONER'];
/** Who may manage credentials, provisioning and read the audit trail. */
export const ADMINISTER: Role[] = ['OWNER', 'ADMIN'];
/** Any valid credential. */
export const ANY_ROLE: Role[] = ['OWNER', 'ADMIN', 'READER', 'PROVISIONER'];
/** Anyone signed in, people without a mapped role (USER) included: only `viewer` is open to them. */
export const SIGNED_IN: Role[] = ['OWNER', 'ADMIN', 'READER', 'PROVISIONER', 'USER'];
