import { AuditEvent } from './entities/audit-event.entity.js';
import { Credential } from './entities/credential.entity.js';
import { Provisioning } from './entities/provisioning.entity.js';
import { Group } from './entities/group.entity.js';
import { Membership } from './entities/membership.entity.js';
import { User } from './entities/user.entity.js';
import { SamlConnection } from './entities/saml-connection.entity.js';
import { SamlAssertion, SamlRequest } from './entities/saml-replay.entity.js';
import { Session } from './entities/session.entity.js';
import { ScimRequest } from './entities/scim-request.entity.js';
import { RateLimitCounter } from './entities/rate-limit.entity.js';
import { RowCountDelta } from './entities/row-count-delta.entity.js';

/** Every entity, listed explicitly (no folder globs: the compiled and test trees differ). */
export const entities = [User, Group, Membership, Credential, Provisioning, AuditEvent, SamlConnection, SamlRequest, SamlAssertion, Session, ScimRequest, RateLimitCounter, RowCountDelta];
