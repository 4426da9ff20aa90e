import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../persistence/store.js';
import { parseIdpMetadata, validateIdpSettings, type IdpSettings } from '../../saml/index.js';
import { recordAudit } from '../audit/audit-writer.js';
import { IDP_LABEL } from '../credentials/credential-service.js';
import { InvalidValue, NotFound, Uniqueness } from '../errors/domain-errors.js';
import { SESSION_ROLES, type SamlConnectionRecord, type SamlRoleMapping } from './sso-records.js';

export interface SamlOptions {
  isDefault?: boolean;
  jitProvisioning?: boolean;
  matchEmail?: boolean;
  wantResponseSigned?: boolean;
  roleMappings?: SamlRoleMapping[];
}

/** Configures the SAML IdPs people sign in through (DESIGN §9). Every change is audited. */
export class SamlConfigService {
  constructor(private readonly store: Store) {}

  list(): Promise<SamlConnectionRecord[]> {
    return this.store.sso.connections();
  }

  /** From the IdP's metadata XML: entity ID, SSO URL and every signing certificate. Bad metadata stores nothing. */
  configureFromMetadata(actor: Principal, idp: string, metadataXml: string, requestId?: string): Promise<SamlConnectionRecord> {
    checkLabel(idp);
    return this.save(actor, idp, parseIdpMetadata(metadataXml), 'saml.configure', requestId);
  }

  /** Field by field, for IdPs that publish no metadata. */
  configureManually(actor: Principal, idp: string, input: { entityId: string; ssoUrl: string; certificates: string[] }, requestId?: string): Promise<SamlConnectionRecord> {
    checkLabel(idp);
    return this.save(actor, idp, validateIdpSettings(input), 'saml.configure', requestId);
  }

  async setOptions(actor: Principal, idp: string, options: SamlOptions, requestId?: string): Promise<SamlConnectionRecord> {
    const roleMappings = options.roleMappings?.map(checkMapping);
    await this.store.transaction(async (tx) => {
      if (!(await tx.sso.setOptions(idp, { ...options, roleMappings }))) throw new NotFound('SAML connection', idp);
      const changed = Object.entries(options)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      await recordAudit(tx, actor, { action: 'saml.options', resourceType: 'SamlConnection', resourceId: idp, changed }, requestId);
    });
    return (await this.store.sso.connection(idp))!;
  }

  async remove(actor: Principal, idp: string, requestId?: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const removed = await tx.sso.removeConnection(idp);
      if (removed) await recordAudit(tx, actor, { action: 'saml.remove', resourceType: 'SamlConnection', resourceId: idp }, requestId);
      return removed;
    });
  }

  private async save(actor: Principal, idp: string, settings: IdpSettings, action: string, requestId?: string): Promise<SamlConnectionRecord> {
    await this.store.transaction(async (tx) => {
      // The Response's issuer picks the connection at the ACS: two labels with one entity ID would be ambiguous.
      const clash = (await tx.read.sso.connections()).find((c) => c.idp !== idp && c.entityId === settings.entityId);
      if (clash) throw new Uniqueness(`The IdP entity ID ${JSON.stringify(settings.entityId)} is already configured under the label "${clash.idp}".`);
      await tx.sso.upsertConnection({ idp, ...settings });
      await recordAudit(tx, actor, { action, resourceType: 'SamlConnection', resourceId: idp, changed: ['entityId', 'ssoUrl', 'certificates'] }, requestId);
    });
    return (await this.store.sso.connection(idp))!;
  }
}

function checkLabel(idp: string): void {
  if (!IDP_LABEL.test(idp))
    throw new InvalidValue(`The IdP label ${JSON.stringify(idp)} must be a short label such as "okta" or "entra" (letters, digits, . _ -), the same as its provisioning label.`);
}

function checkMapping(m: SamlRoleMapping): SamlRoleMapping {
  const group = m.group.trim();
  if (!group || group.length > 256) throw new InvalidValue('A role mapping names a group by its displayName (1 to 256 characters).');
  if (!SESSION_ROLES.includes(m.role) || (m.role as string) === 'USER') throw new InvalidValue(`A role mapping grants READER, ADMIN or OWNER, not ${JSON.stringify(m.role)}.`);
  return { group, role: m.role };
}
