import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128181119_initial } from './Migration20261128181119_initial.js';
import { Migration20261130074221_provisioning_adopt_local } from './Migration20261130074221_provisioning_adopt_local.js';
import { Migration20261130085942_audit_ignored_attributes } from './Migration20261130085942_audit_ignored_attributes.js';
import { Migration20261130100929_saml_sso } from './Migration20261130100929_saml_sso.js';
import { Migration20261130102256_audit_filters_scim_requests } from './Migration20261130102256_audit_filters_scim_requests.js';
import { Migration20261130130000_rate_limits } from './Migration20261130130000_rate_limits.js';
import { Migration20261130220000_row_count_deltas } from './Migration20261130220000_row_count_deltas.js';
import { Migration20261201010000_membership_members_exist } from './Migration20261201010000_membership_members_exist.js';

/** Every migration in order; listed explicitly so that the compiled tree needs no folder scan. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261128181119_initial', class: Migration20261128181119_initial },
  { name: 'Migration20261130074221_provisioning_adopt_local', class: Migration20261130074221_provisioning_adopt_local },
  { name: 'Migration20261130085942_audit_ignored_attributes', class: Migration20261130085942_audit_ignored_attributes },
  { name: 'Migration20261130100929_saml_sso', class: Migration20261130100929_saml_sso },
  { name: 'Migration20261130102256_audit_filters_scim_requests', class: Migration20261130102256_audit_filters_scim_requests },
  { name: 'Migration20261130130000_rate_limits', class: Migration20261130130000_rate_limits },
  { name: 'Migration20261130220000_row_count_deltas', class: Migration20261130220000_row_count_deltas },
  { name: 'Migration20261201010000_membership_members_exist', class: Migration20261201010000_membership_members_exist },
];
