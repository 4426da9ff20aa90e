import { SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import { checkVerifiedAssertion, type CheckedAssertion } from './assertion-checks.js';
import { certificateBody, certificatePem } from './certificates.js';
import { SamlRefusal, type SamlRefusalReason } from './errors.js';
import type { SpSettings } from './sp-metadata.js';
import { attribute, childElement, descendants, hasDoctype, NS, parseXml, text, type ParsedXml, type XmlElement } from './xml.js';

/** AuthnRequest ids this SP issued (see buildLoginRedirect). */
export interface SamlRequestStore {
  /** True only the first time an id this SP issued (and that has not expired) is taken; false for any other id, and for it ever after. */
  take(requestId: string): Promise<boolean>;
}

/** Assertion ids already accepted, so that a captured Response cannot sign in twice. */
export interface SamlAssertionStore {
  /** True only the first time; keep the id at least until `keepUntil` (after which the assertion is refused as expired anyway). */
  remember(assertionId: string, keepUntil: Date): Promise<boolean>;
}

/** One IdP as configured in Roster. */
export interface SamlConnection {
  idpEntityId: string;
  /** PEM or base64 DER; a Response signed by any of them is accepted (rotation). */
  certificates: readonly string[];
  /** Also require a signature on the Response element; the assertion's signature is always required. */
  wantResponseSigned: boolean;
}

export interface VerifySamlResponseInput {
  /** The SAMLResponse form field, as posted (base64). */
  samlResponse: string;
  connection: SamlConnection;
  sp: SpSettings;
  /** How far the IdP's clock may be from ours, both ways. */
  clockSkewMs: number;
  requests: SamlRequestStore;
  assertions: SamlAssertionStore;
}

/** A signed-in subject: the checked assertion, with inResponseTo set only for an SP-initiated login. */
export type VerifiedSamlLogin = CheckedAssertion;

/** Okta's Responses are 5-15 KB; the cap bounds the work (parse, canonicalise, digest) an anonymous POST can cause. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ENCRYPTED_ELEMENTS = ['EncryptedAssertion', 'EncryptedID', 'EncryptedAttribute'];

/**
 * Verifies a SAML Response posted to the ACS: node-saml for the signatures (and its own time, audience and
 * InResponseTo checks), then the checks it leaves to us. Throws SamlRefusal; returns only for a login to accept.
 */
export async function verifySamlResponse(input: VerifySamlResponseInput): Promise<VerifiedSamlLogin> {
  const { connection, sp, clockSkewMs } = input;
  // node-saml reads -1 as "skip every time check".
  if (!Number.isFinite(clockSkewMs) || clockSkewMs < 0) throw new RangeError(`clockSkewMs must be a finite number >= 0, not ${clockSkewMs}`);
  if (connection.certificates.length === 0) throw new RangeError('the SAML connection has no certificate');

  const { base64, response } = decodeResponse(input.samlResponse);
  checkEnvelope(response, connection, sp);
  const responseInResponseTo = attribute(response, 'InResponseTo');

  const takeOnce = memoize((id: string) => input.requests.take(id));
  const saml = new SAML({
    callbackUrl: sp.acsUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    idpCert: connection.certificates.map((c) => certificatePem(certificateBody(c))),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: connection.wantResponseSigned,
    acceptedClockSkewMs: clockSkewMs,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    cacheProvider: requestCache(takeOnce),
  });

  let assertionXml: string;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: base64 });
    const xml = profile?.getAssertionXml?.();
    if (!xml) throw new SamlRefusal('no_assertion', 'the Response carries no assertion');
    assertionXml = xml;
  } catch (error) {
    throw error instanceof SamlRefusal ? error : refusalFromNodeSaml(error, response);
  }

  const checked = checkVerifiedAssertion(assertionXml, { idpEntityId: connection.idpEntityId, sp, clockSkewMs }, new Date());
  await checkInResponseTo(checked.inResponseTo, responseInResponseTo, takeOnce);
  if (!(await input.assertions.remember(checked.assertionId, new Date(checked.notOnOrAfter.getTime() + clockSkewMs)))) {
    throw new SamlRefusal('replay', `assertion ${checked.assertionId} was already used`);
  }
  return checked;
}

/**
 * The Issuer a posted Response claims, unverified: only to choose which configured IdP to verify it
 * against (every IdP posts to the one ACS). Throws SamlRefusal for what cannot be a Response at all.
 */
export function claimedIssuer(samlResponse: string): string | undefined {
  const { response } = decodeResponse(samlResponse);
  const own = text(childElement(response, NS.assertion, 'Issuer'));
  const assertion = childElement(response, NS.assertion, 'Assertion');
  return own ?? (assertion ? text(childElement(assertion, NS.assertion, 'Issuer')) : undefined);
}

function decodeResponse(posted: string): { base64: string; response: XmlElement } {
  // Some IdPs wrap the base64 at 76 columns; the cap applies before the copy that strips the line breaks.
  if (posted.length > Math.ceil((MAX_RESPONSE_BYTES * 4) / 3) * 1.1) throw new SamlRefusal('too_large', `the SAMLResponse field is ${posted.length} characters`);
  const base64 = posted.replace(/\s+/g, '');
  if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) throw new SamlRefusal('malformed', 'the SAMLResponse field is not base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_RESPONSE_BYTES) throw new SamlRefusal('too_large', `the SAMLResponse is ${bytes.length} bytes, over ${MAX_RESPONSE_BYTES}`);
  const xml = bytes.toString('utf8');
  if (hasDoctype(xml)) throw new SamlRefusal('doctype', 'the Response contains a DOCTYPE or ENTITY declaration');
  let doc: ParsedXml;
  try {
    doc = parseXml(xml);
  } catch (error) {
    throw new SamlRefusal('malformed', `the Response is not well-formed XML: ${(error as Error).message}`);
  }
  const response = doc.documentElement;
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') throw new SamlRefusal('malformed', `the root element is ${response.tagName}, not a samlp:Response`);
  for (const name of ENCRYPTED_ELEMENTS) {
    if (descendants(doc, NS.assertion, name).length > 0)
      throw new SamlRefusal('encrypted', `the Response holds a saml:${name}: encrypted assertions are not supported; turn assertion encryption off in the IdP`);
  }
  return { base64, response };
}

/**
 * Checks on the (possibly unsigned) Response element. They can only refuse, never vouch for anything:
 * what grants a login is read from the signed assertion.
 */
function checkEnvelope(response: XmlElement, connection: SamlConnection, sp: SpSettings): void {
  const statusCode = childElement(response, NS.protocol, 'Status');
  const code = statusCode && childElement(statusCode, NS.protocol, 'StatusCode');
  const value = code && attribute(code, 'Value');
  if (!value) throw new SamlRefusal('malformed', 'the Response has no Status/StatusCode');
  if (value !== SUCCESS) {
    const nested = childElement(code, NS.protocol, 'StatusCode');
    const message = childElement(statusCode, NS.protocol, 'StatusMessage')?.textContent?.trim();
    throw new SamlRefusal('idp_status', `the IdP answered ${[value, nested && attribute(nested, 'Value')].filter(Boolean).join(' / ')}${message ? `: ${message}` : ''}`);
  }
  const destination = attribute(response, 'Destination');
  if (destination !== undefined && destination !== sp.acsUrl)
    throw new SamlRefusal('destination', `Response Destination ${JSON.stringify(destination)} is not our ACS URL ${JSON.stringify(sp.acsUrl)}`);
  const issuer = childElement(response, NS.assertion, 'Issuer')?.textContent?.trim();
  if (issuer !== undefined && issuer !== connection.idpEntityId)
    throw new SamlRefusal('issuer', `Response Issuer ${JSON.stringify(issuer)} is not the IdP's entity ID ${JSON.stringify(connection.idpEntityId)}`);
}

/**
 * SP-initiated logins answer a request we issued, once. The signed SubjectConfirmationData@InResponseTo is
 * what counts: with an unsigned Response, Response@InResponseTo can be stripped, and node-saml then treats the
 * assertion as IdP-initiated and checks nothing (the downgrade).
 */
async function checkInResponseTo(signed: string | undefined, onResponse: string | undefined, takeOnce: (id: string) => Promise<boolean>): Promise<void> {
  if (signed !== undefined) {
    if (onResponse === undefined) throw new SamlRefusal('downgrade', `the signed assertion answers request ${signed} but the Response has no InResponseTo`);
    if (onResponse !== signed) throw new SamlRefusal('in_response_to_mismatch', `Response InResponseTo ${onResponse} differs from the assertion's ${signed}`);
  }
  const requestId = signed ?? onResponse;
  if (requestId !== undefined && !(await takeOnce(requestId))) {
    throw new SamlRefusal('in_response_to_unknown', `InResponseTo ${requestId} is not a request this SP issued, or it expired or was already answered`);
  }
}

/** node-saml asks its cache about the same id up to three times per Response; the store's take must run once. */
function memoize(take: (id: string) => Promise<boolean>): (id: string) => Promise<boolean> {
  const taken = new Map<string, Promise<boolean>>();
  return (id) => {
    if (!taken.has(id)) taken.set(id, take(id));
    return taken.get(id)!;
  };
}

/** node-saml's view of the request store. Taking is consuming, so removeAsync has nothing left to do. */
function requestCache(takeOnce: (id: string) => Promise<boolean>): CacheProvider {
  return {
    saveAsync: async () => null,
    // node-saml compares the value with requestIdExpirationPeriodMs; the store has already applied its own expiry.
    getAsync: async (id) => ((await takeOnce(id)) ? new Date().toISOString() : null),
    removeAsync: async (id) => id,
  };
}

const NODE_SAML_REASONS: [RegExp, SamlRefusalReason][] = [
  [/InResponseTo does not match/, 'in_response_to_mismatch'],
  [/InResponseTo is not valid|InResponseTo is missing/, 'in_response_to_unknown'],
  [/not yet valid/, 'not_yet_valid'],
  [/expired|No valid subject confirmation/, 'expired'],
  [/[Aa]udience/, 'audience'],
  [/[Ss]ignature|signed|ID cannot refer|[Rr]eferenced node|multiple assertions/, 'signature'],
  [/Missing SAML assertion/, 'no_assertion'],
];

function refusalFromNodeSaml(error: unknown, response: XmlElement): SamlRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SamlStatusError) return new SamlRefusal('idp_status', message);
  if (message === 'Invalid document signature') {
    const signed = childElement(response, NS.dsig, 'Signature') !== undefined;
    return new SamlRefusal(
      signed ? 'signature' : 'response_signature_required',
      signed ? 'the Response signature does not verify with any of the IdP certificates' : 'the connection requires a signed Response and this one is not signed',
    );
  }
  const reason = NODE_SAML_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed';
  return new SamlRefusal(reason, `node-saml: ${message}`);
}
