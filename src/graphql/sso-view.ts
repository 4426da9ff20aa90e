import { X509Certificate } from 'node:crypto';
import { SignInService } from '../domain/sso/sign-in-service.js';
import type { SamlConnectionRecord } from '../domain/sso/sso-records.js';
import type { Store } from '../persistence/store.js';
import { certificatePem } from '../saml/certificates.js';

/** A signing certificate as admins compare it with the IdP's console. */
export interface CertificateView {
  pem: string;
  /** e.g. "CN=dev-123456, O=Okta" */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** colon-separated hex, as Okta and Entra show it */
  fingerprintSha256: string;
}

/** Describes a certificate stored as its base64 DER body. */
export function describeCertificate(body: string): CertificateView {
  const x = new X509Certificate(Buffer.from(body, 'base64'));
  return {
    pem: certificatePem(body),
    subject: x.subject.split('\n').join(', '),
    // Copied: node:crypto makes its Dates in the main realm, which `instanceof Date` elsewhere (a vm, jest) does not accept.
    notBefore: new Date(x.validFromDate.getTime()),
    notAfter: new Date(x.validToDate.getTime()),
    fingerprintSha256: x.fingerprint256,
  };
}

/**
 * What to paste into an IdP, as sign-in checks it: one SP entity ID and one ACS URL for every IdP
 * (the Response's issuer says which IdP answers). Shared by GraphQL and the CLI.
 */
export function spUrls(store: Store, publicUrl: string): { spEntityId: string; acsUrl: string } {
  // SignInService.sp is the one place that lays the URLs out; the durations play no part in them.
  const sp = new SignInService(store, { publicUrl, clockSkewMs: 0, sessionIdleMs: 0, sessionMaxMs: 0 }).sp();
  return { spEntityId: sp.entityId, acsUrl: sp.acsUrl };
}

/** Where people start an SP-initiated sign-in through this IdP: the bare path serves the default IdP. */
export function loginUrl(publicUrl: string, c: Pick<SamlConnectionRecord, 'idp' | 'isDefault'>): string {
  return `${publicUrl}/saml/sp/login${c.isDefault ? '' : `?idp=${encodeURIComponent(c.idp)}`}`;
}
