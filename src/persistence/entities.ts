import { AuditEvent } from './entities/audit-event.entity.js';
import { Credential } from './entities/credential.entity.js';
import { Provisioning } from './entities/provisioning.entity.js';
import { Group } from './entities/group.entity.js';
import { Membership } from './entities/membership.entity.js';
import { User } from './entities/user.entity.js';

/** Every entity, listed explicitly (no folder globs: the compiled and test trees differ). */
export const entities = [User, Group, Membership, Credential, Provisioning, AuditEvent];
