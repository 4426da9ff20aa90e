import { AuditEvent } from '../domain/audit/audit-event.entity';
import { Credential } from '../domain/credentials/credential.entity';
import { Provisioning } from '../domain/credentials/provisioning.entity';
import { Group } from '../domain/groups/group.entity';
import { Membership } from '../domain/groups/membership.entity';
import { User } from '../domain/users/user.entity';

/** Every entity, listed explicitly (no folder globs: the compiled and test trees differ). */
export const entities = [User, Group, Membership, Credential, Provisioning, AuditEvent];
