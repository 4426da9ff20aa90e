import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { SamlRoleMapping } from '../../domain/sso/sso-records.js';

/** A SAML IdP that people sign in through, under the same label as its provisioning (`okta`, `entra`…). */
@Entity({ tableName: 'saml_connections' })
export class SamlConnection {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'wantResponseSigned' | 'jitProvisioning' | 'matchEmail' | 'roleMappings' | 'isDefault';

  @PrimaryKey({ type: 'string', length: 64 })
  idp!: string;

  @Property({ type: 'text' })
  entityId!: string;

  @Property({ type: 'text' })
  ssoUrl!: string;

  @Property({ type: 'string', length: 16 })
  ssoBinding!: 'HTTP-Redirect' | 'HTTP-POST';

  /** base64 DER bodies of the IdP's signing certificates (several during a rotation) */
  @Property({ type: 'json' })
  certificates!: string[];

  @Property({ type: 'boolean', default: false })
  wantResponseSigned: boolean = false;

  /** create a user from the assertion when none matches (off: SCIM is the source of truth) */
  @Property({ type: 'boolean', default: false })
  jitProvisioning: boolean = false;

  /** also match the assertion's email against users' emails when no userName matches */
  @Property({ type: 'boolean', default: false })
  matchEmail: boolean = false;

  /** the IdP used by the bare /saml/sp/* paths */
  @Property({ type: 'boolean', default: false })
  isDefault: boolean = false;

  @Property({ type: 'json', default: '[]' })
  roleMappings: SamlRoleMapping[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt: Date = new Date();
}
