/**
 * A test SAML 2.0 IdP: Okta-shaped Responses signed with real RSA keys (test/fixtures/saml), IdP metadata,
 * and a reader for the SP's redirect-binding AuthnRequest. Every field an attack or a misconfiguration
 * would change is an option; tamper with the XML by string replace after signing.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/saml');

const NS_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const NS_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** A signing key of the test IdP (or of an attacker), with its self-signed certificate. */
export interface TestIdpKey {
  name: string;
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate's base64 DER body, as in metadata's ds:X509Certificate. */
  certificate: string;
}

function loadKey(name: string): TestIdpKey {
  const certificatePem = readFileSync(path.join(FIXTURES, `${name}.crt`), 'utf8');
  return {
    name,
    privateKeyPem: readFileSync(path.join(FIXTURES, `${name}.key`), 'utf8'),
    certificatePem,
    certificate: certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''),
  };
}

/** `a` is the IdP's current key, `b` the one it rotates to, `attacker` one the SP never trusts. */
export const IDP_KEYS = { a: loadKey('idp-a'), b: loadKey('idp-b'), attacker: loadKey('attacker') } as const;

/** The test IdP, named the way Okta names an app's IdP. */
export const TEST_IDP = {
  entityId: 'http://www.okta.com/exk1rostertest0000',
  ssoUrl: 'https://roster-test.okta.com/app/roster-test_roster_1/exk1rostertest0000/sso/saml',
} as const;

/** Roster's SP settings for a public URL, as DESIGN §9 lays them out. */
export function testSp(publicUrl = 'http://roster.test'): { entityId: string; acsUrl: string } {
  return { entityId: `${publicUrl}/saml/sp/metadata`, acsUrl: `${publicUrl}/saml/sp/acs` };
}

/** The four attribute statements of the seed's Okta app. */
export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', loginId: 'ada@example.com' };

export interface TestResponseOptions {
  /** Where the Response goes; sets the default audience, recipient and destination. Default testSp(). */
  sp?: { entityId: string; acsUrl: string };
  /** Default IDP_KEYS.a. */
  key?: TestIdpKey;
  /** What carries a signature. Default 'assertion' (Okta's default). */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** The Issuer of both the Response and the assertion. Default TEST_IDP.entityId. */
  issuer?: string;
  /** Override the Response's Issuer alone; null leaves it out. */
  responseIssuer?: string | null;
  audience?: string;
  /** SubjectConfirmationData@Recipient. */
  recipient?: string;
  /** Response@Destination; null leaves it out. */
  destination?: string | null;
  /** The request answered: sets Response@InResponseTo and SubjectConfirmationData@InResponseTo. Absent: IdP-initiated. */
  inResponseTo?: string;
  /** Override Response@InResponseTo alone; null leaves it out. */
  responseInResponseTo?: string | null;
  /** Override SubjectConfirmationData@InResponseTo alone; null leaves it out. */
  subjectInResponseTo?: string | null;
  nameId?: string;
  nameIdFormat?: string;
  /** Attribute statements by Name (NameFormat unspecified). Default DEFAULT_ATTRIBUTES. */
  attributes?: Readonly<Record<string, string | readonly string[]>>;
  /** The IdP's clock. Default the real one. */
  now?: Date;
  /** Offsets from `now`, in ms: IssueInstant (default 0), Conditions NotBefore (default -5 min, as Okta), Conditions NotOnOrAfter (default +5 min), SubjectConfirmationData NotOnOrAfter (default = Conditions'). */
  issueInstantOffsetMs?: number;
  notBeforeOffsetMs?: number;
  notOnOrAfterOffsetMs?: number;
  subjectNotOnOrAfterOffsetMs?: number;
  assertionId?: string;
  responseId?: string;
  /** Top-level StatusCode. Default STATUS_SUCCESS. */
  status?: string;
  /** Replace the assertion by an EncryptedAssertion whose ciphertext is random bytes: enough for an SP that refuses encryption before decrypting. */
  encryptedAssertion?: boolean;
}

export function newSamlId(): string {
  return `id${randomBytes(16).toString('hex')}`;
}

/** An Okta-shaped saml2p:Response, signed as `sign` says. */
export function samlResponseXml(options: TestResponseOptions = {}): string {
  const sp = options.sp ?? testSp();
  const now = options.now ?? new Date();
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
  const issuer = options.issuer ?? TEST_IDP.entityId;
  const responseIssuer = options.responseIssuer === undefined ? issuer : options.responseIssuer;
  const destination = options.destination === undefined ? sp.acsUrl : options.destination;
  const responseInResponseTo = options.responseInResponseTo === undefined ? options.inResponseTo : (options.responseInResponseTo ?? undefined);
  const subjectInResponseTo = options.subjectInResponseTo === undefined ? options.inResponseTo : (options.subjectInResponseTo ?? undefined);
  const notOnOrAfter = options.notOnOrAfterOffsetMs ?? 5 * 60_000;
  const assertionId = options.assertionId ?? newSamlId();
  const issueInstant = at(options.issueInstantOffsetMs ?? 0);

  const attributes = Object.entries(options.attributes ?? DEFAULT_ATTRIBUTES)
    .map(([name, value]) => {
      const values = (typeof value === 'string' ? [value] : value)
        .map((v) => `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`)
        .join('');
      return `<saml2:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">${values}</saml2:Attribute>`;
    })
    .join('');

  const assertion = options.encryptedAssertion
    ? `<saml2:EncryptedAssertion xmlns:saml2="${NS_ASSERTION}"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/><xenc:CipherData><xenc:CipherValue>${randomBytes(96).toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml2:EncryptedAssertion>`
    : `<saml2:Assertion xmlns:saml2="${NS_ASSERTION}" ID="${esc(assertionId)}" IssueInstant="${issueInstant}" Version="2.0">` +
      `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(issuer)}</saml2:Issuer>` +
      `<saml2:Subject><saml2:NameID Format="${esc(options.nameIdFormat ?? NAMEID_UNSPECIFIED)}">${esc(options.nameId ?? 'ada@example.com')}</saml2:NameID>` +
      `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData${attr('InResponseTo', subjectInResponseTo)} NotOnOrAfter="${at(options.subjectNotOnOrAfterOffsetMs ?? notOnOrAfter)}"${attr('Recipient', options.recipient ?? sp.acsUrl)}/></saml2:SubjectConfirmation></saml2:Subject>` +
      `<saml2:Conditions NotBefore="${at(options.notBeforeOffsetMs ?? -5 * 60_000)}" NotOnOrAfter="${at(notOnOrAfter)}"><saml2:AudienceRestriction><saml2:Audience>${esc(options.audience ?? sp.entityId)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
      `<saml2:AuthnStatement AuthnInstant="${issueInstant}" SessionIndex="${esc(assertionId)}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
      (attributes ? `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` : '') +
      `</saml2:Assertion>`;

  let xml =
    `<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="${NS_PROTOCOL}"${attr('Destination', destination ?? undefined)} ID="${esc(options.responseId ?? newSamlId())}"${attr('InResponseTo', responseInResponseTo)} IssueInstant="${issueInstant}" Version="2.0">` +
    (responseIssuer === null ? '' : `<saml2:Issuer xmlns:saml2="${NS_ASSERTION}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(responseIssuer)}</saml2:Issuer>`) +
    `<saml2p:Status xmlns:saml2p="${NS_PROTOCOL}"><saml2p:StatusCode Value="${esc(options.status ?? STATUS_SUCCESS)}"/></saml2p:Status>` +
    assertion +
    `</saml2p:Response>`;

  const sign = options.sign ?? 'assertion';
  const key = options.key ?? IDP_KEYS.a;
  // Assertion first: the Response's signature then covers the assertion's.
  if ((sign === 'assertion' || sign === 'both') && !options.encryptedAssertion) xml = signElement(xml, 'assertion', key);
  if (sign === 'response' || sign === 'both') xml = signElement(xml, 'response', key, responseIssuer !== null);
  return xml;
}

/** The SAMLResponse form value (base64) of samlResponseXml(options). */
export function samlResponse(options: TestResponseOptions = {}): string {
  return encodeSamlResponse(samlResponseXml(options));
}

export function encodeSamlResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function decodeSamlResponse(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/**
 * Signs the first saml2:Assertion, or the Response, the way Okta does: rsa-sha256, exc-c14n, enveloped,
 * the ds:Signature right after the element's Issuer. Exported for tests that build wrapped documents.
 */
export function signElement(xml: string, target: 'assertion' | 'response', key: TestIdpKey = IDP_KEYS.a, afterIssuer = true): string {
  const element = target === 'assertion' ? `//*[local-name(.)='Assertion' and namespace-uri(.)='${NS_ASSERTION}']` : `/*[local-name(.)='Response' and namespace-uri(.)='${NS_PROTOCOL}']`;
  const sig = new SignedXml({ privateKey: key.privateKeyPem, publicCert: key.certificatePem, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  sig.addReference({ xpath: element, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 });
  const location = afterIssuer ? { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' as const } : { reference: element, action: 'prepend' as const };
  sig.computeSignature(xml, { prefix: 'ds', location });
  return sig.getSignedXml();
}

/** Okta-shaped IdP metadata; one KeyDescriptor use="signing" per key (two while rotating). */
export function idpMetadataXml(options: { entityId?: string; ssoUrl?: string; keys?: readonly TestIdpKey[] } = {}): string {
  const ssoUrl = esc(options.ssoUrl ?? TEST_IDP.ssoUrl);
  const keys = (options.keys ?? [IDP_KEYS.a])
    .map(
      (key) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${key.certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(options.entityId ?? TEST_IDP.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS_PROTOCOL}">${keys}` +
    `<md:NameIDFormat>${NAMEID_UNSPECIFIED}</md:NameIDFormat><md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** What the IdP reads from an SP's HTTP-Redirect login URL: the inflated AuthnRequest, its ID, and RelayState. */
export function readRedirectRequest(url: string): { id: string; xml: string; relayState?: string } {
  const params = new URL(url).searchParams;
  const encoded = params.get('SAMLRequest');
  if (!encoded) throw new Error(`no SAMLRequest in ${url}`);
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const id = /<(?:\w+:)?AuthnRequest\b[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  if (!id) throw new Error(`no AuthnRequest ID in ${xml}`);
  return { id, xml, relayState: params.get('RelayState') ?? undefined };
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attr(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${esc(value)}"`;
}
