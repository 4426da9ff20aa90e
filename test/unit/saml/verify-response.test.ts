import { buildLoginRedirect } from '../../../src/saml/authn-request.js';
import { SamlRefusal, type SamlRefusalReason } from '../../../src/saml/errors.js';
import { MAX_RESPONSE_BYTES, verifySamlResponse, type SamlConnection, type VerifySamlResponseInput } from '../../../src/saml/verify-response.js';
import { decodeSamlResponse, encodeSamlResponse, IDP_KEYS, newSamlId, readRedirectRequest, samlResponse, samlResponseXml, signElement, TEST_IDP, testSp } from '../../support/saml-idp.js';
import { MemoryAssertionStore, MemoryRequestStore } from './memory-stores.js';

const SP = testSp();
const CONNECTION: SamlConnection = { idpEntityId: TEST_IDP.entityId, certificates: [IDP_KEYS.a.certificate], wantResponseSigned: false };
const MINUTE = 60_000;

let requests: MemoryRequestStore;
let assertions: MemoryAssertionStore;
beforeEach(() => {
  requests = new MemoryRequestStore();
  assertions = new MemoryAssertionStore();
});

function verify(response: string, overrides: Partial<VerifySamlResponseInput> = {}) {
  return verifySamlResponse({ samlResponse: response, connection: CONNECTION, sp: SP, clockSkewMs: MINUTE, requests, assertions, ...overrides });
}

/** The reason a Response was refused for; fails the test if it was accepted or failed otherwise. */
async function refusalOf(response: string, overrides: Partial<VerifySamlResponseInput> = {}): Promise<SamlRefusalReason> {
  try {
    await verify(response, overrides);
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
  throw new Error('the Response was accepted');
}

async function spInitiatedRequestId(): Promise<string> {
  const { url, requestId } = await buildLoginRedirect({ idp: { ssoUrl: TEST_IDP.ssoUrl }, sp: SP, relayState: 'r1' });
  expect(readRedirectRequest(url).id).toBe(requestId);
  return requests.issue(requestId);
}

/** The Response element's InResponseTo removed, as a man in the middle of an unsigned Response can. */
function stripResponseInResponseTo(base64: string): string {
  return encodeSamlResponse(decodeSamlResponse(base64).replace(/(<saml2p:Response\b[^>]*?) InResponseTo="[^"]*"/, '$1'));
}

const ATTRIBUTES = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', loginId: 'ada@example.com' };
const RAW_ATTRIBUTES = { firstName: ['Ada'], lastName: ['Lovelace'], email: ['ada@example.com'], loginId: ['ada@example.com'] };

describe('verifySamlResponse accepts', () => {
  it('an SP-initiated login, with the four attributes', async () => {
    const requestId = await spInitiatedRequestId();
    const assertionId = newSamlId();
    const now = new Date();
    const login = await verify(samlResponse({ inResponseTo: requestId, assertionId, now }));
    expect(login).toEqual({
      assertionId,
      issuer: TEST_IDP.entityId,
      nameId: 'ada@example.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndex: assertionId,
      inResponseTo: requestId,
      notOnOrAfter: new Date(now.getTime() + 5 * MINUTE),
      attributes: ATTRIBUTES,
      rawAttributes: RAW_ATTRIBUTES,
    });
    expect(assertions.kept.get(assertionId)).toEqual(new Date(now.getTime() + 6 * MINUTE));
  });

  it('an IdP-initiated login (no InResponseTo anywhere)', async () => {
    const login = await verify(samlResponse({ attributes: { ...ATTRIBUTES, groups: ['a', 'b'] } }));
    expect(login.inResponseTo).toBeUndefined();
    expect(login.attributes).toEqual(ATTRIBUTES);
    expect(login.rawAttributes).toEqual({ ...RAW_ATTRIBUTES, groups: ['a', 'b'] });
  });

  it('a Response signed on the Response and the assertion, with or without wantResponseSigned', async () => {
    await expect(verify(samlResponse({ sign: 'both' }))).resolves.toMatchObject({ nameId: 'ada@example.com' });
    await expect(verify(samlResponse({ sign: 'both' }), { connection: { ...CONNECTION, wantResponseSigned: true } })).resolves.toMatchObject({ nameId: 'ada@example.com' });
  });

  it('certificates in rotation: a Response signed by either configured key', async () => {
    const connection = { ...CONNECTION, certificates: [IDP_KEYS.a.certificate, IDP_KEYS.b.certificatePem] };
    await expect(verify(samlResponse({ key: IDP_KEYS.a }), { connection })).resolves.toMatchObject({ nameId: 'ada@example.com' });
    await expect(verify(samlResponse({ key: IDP_KEYS.b }), { connection })).resolves.toMatchObject({ nameId: 'ada@example.com' });
    expect(await refusalOf(samlResponse({ key: IDP_KEYS.attacker }), { connection })).toBe('signature');
  });

  it('times within the clock skew, both ways', async () => {
    const early = samlResponse({ notBeforeOffsetMs: 30_000, issueInstantOffsetMs: 30_000 });
    const late = samlResponse({ notBeforeOffsetMs: -10 * MINUTE, notOnOrAfterOffsetMs: -30_000 });
    expect(await refusalOf(early, { clockSkewMs: 0 })).toBe('not_yet_valid');
    expect(await refusalOf(late, { clockSkewMs: 0 })).toBe('expired');
    await expect(verify(early)).resolves.toMatchObject({ nameId: 'ada@example.com' });
    await expect(verify(late)).resolves.toMatchObject({ nameId: 'ada@example.com' });
  });
});

describe('verifySamlResponse refuses', () => {
  it('an attribute changed after signing', async () => {
    const tampered = samlResponseXml().replace('>Ada<', '>Eve<');
    expect(await refusalOf(encodeSamlResponse(tampered))).toBe('signature');
  });

  it('a NameID changed after signing', async () => {
    const tampered = samlResponseXml().replace('>ada@example.com</saml2:NameID>', '>root@example.com</saml2:NameID>');
    expect(await refusalOf(encodeSamlResponse(tampered))).toBe('signature');
  });

  it('an unsigned Response, and one whose only signature is on the Response', async () => {
    expect(await refusalOf(samlResponse({ sign: 'none' }))).toBe('signature');
    expect(await refusalOf(samlResponse({ sign: 'response' }))).toBe('signature');
  });

  it('a Response signed by a key the connection does not hold (its certificate in KeyInfo notwithstanding)', async () => {
    expect(await refusalOf(samlResponse({ key: IDP_KEYS.attacker }))).toBe('signature');
    expect(await refusalOf(samlResponse({ key: IDP_KEYS.attacker, sign: 'both' }))).toBe('signature');
  });

  it('an unsigned Response when the connection wants it signed, and one signed by another key', async () => {
    const connection = { ...CONNECTION, wantResponseSigned: true };
    expect(await refusalOf(samlResponse({ sign: 'assertion' }), { connection })).toBe('response_signature_required');
    const wrongResponseKey = samlResponseXml({ sign: 'assertion' });
    expect(await refusalOf(encodeSamlResponse(signElement(wrongResponseKey, 'response', IDP_KEYS.attacker)), { connection })).toBe('signature');
  });

  it('the wrong audience', async () => {
    expect(await refusalOf(samlResponse({ audience: 'https://other-sp.example.com/metadata' }))).toBe('audience');
  });

  it('an expired assertion, and one not yet valid', async () => {
    expect(await refusalOf(samlResponse({ notBeforeOffsetMs: -20 * MINUTE, notOnOrAfterOffsetMs: -10 * MINUTE, issueInstantOffsetMs: -15 * MINUTE }))).toBe('expired');
    expect(await refusalOf(samlResponse({ notBeforeOffsetMs: 10 * MINUTE, notOnOrAfterOffsetMs: 20 * MINUTE }))).toBe('not_yet_valid');
  });

  it('an expired SubjectConfirmationData inside valid Conditions', async () => {
    expect(await refusalOf(samlResponse({ subjectNotOnOrAfterOffsetMs: -10 * MINUTE }))).toBe('expired');
  });

  it('the same assertion a second time', async () => {
    const response = samlResponse();
    await verify(response);
    expect(await refusalOf(response)).toBe('replay');
  });

  it('another IdP (the assertion Issuer), even when signed with the configured key', async () => {
    expect(await refusalOf(samlResponse({ issuer: 'http://www.okta.com/exk1other' }))).toBe('issuer');
    expect(await refusalOf(samlResponse({ issuer: 'http://www.okta.com/exk1other', responseIssuer: null }))).toBe('issuer');
  });

  it('a Recipient that is not our ACS URL, and a Destination that is not', async () => {
    expect(await refusalOf(samlResponse({ recipient: 'https://other-sp.example.com/acs' }))).toBe('recipient');
    expect(await refusalOf(samlResponse({ destination: 'https://other-sp.example.com/acs' }))).toBe('destination');
  });

  it('an InResponseTo this SP never issued', async () => {
    expect(await refusalOf(samlResponse({ inResponseTo: newSamlId() }))).toBe('in_response_to_unknown');
  });

  it('a second Response to the same request', async () => {
    const requestId = await spInitiatedRequestId();
    await verify(samlResponse({ inResponseTo: requestId }));
    expect(await refusalOf(samlResponse({ inResponseTo: requestId }))).toBe('in_response_to_unknown');
  });

  it('the downgrade: Response@InResponseTo stripped from an unsigned Response whose signed assertion answers a request', async () => {
    const requestId = await spInitiatedRequestId();
    const stripped = stripResponseInResponseTo(samlResponse({ inResponseTo: requestId }));
    expect(decodeSamlResponse(stripped)).toContain(`SubjectConfirmationData InResponseTo="${requestId}"`);
    expect(await refusalOf(stripped)).toBe('downgrade');
    // Also once the request was answered: the captured Response must not come back as IdP-initiated.
    const requestId2 = await spInitiatedRequestId();
    const response = samlResponse({ inResponseTo: requestId2 });
    await verify(response);
    expect(await refusalOf(stripResponseInResponseTo(response))).toBe('downgrade');
  });

  it('a Response@InResponseTo that differs from the signed one', async () => {
    const requestId = await spInitiatedRequestId();
    const otherId = requests.issue(newSamlId());
    expect(await refusalOf(samlResponse({ inResponseTo: requestId, responseInResponseTo: otherId }))).toBe('in_response_to_mismatch');
  });

  it('a DOCTYPE, before parsing it', async () => {
    const laughs = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    expect(await refusalOf(encodeSamlResponse(samlResponseXml().replace('?>', `?>${laughs}`)))).toBe('doctype');
  });

  it('an oversized Response, and a form value that is not base64 or not XML', async () => {
    const padded = samlResponseXml().replace('</saml2p:Response>', `<!--${'x'.repeat(MAX_RESPONSE_BYTES)}--></saml2p:Response>`);
    expect(await refusalOf(encodeSamlResponse(padded))).toBe('too_large');
    expect(await refusalOf('x'.repeat(MAX_RESPONSE_BYTES * 2))).toBe('too_large');
    expect(await refusalOf('%%% not base64 %%%')).toBe('malformed');
    expect(await refusalOf(encodeSamlResponse('<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">'))).toBe('malformed');
    expect(await refusalOf(encodeSamlResponse('<LogoutResponse/>'))).toBe('malformed');
  });

  it('an encrypted assertion, saying how to fix it', async () => {
    const response = samlResponse({ encryptedAssertion: true, sign: 'response' });
    await expect(verify(response)).rejects.toMatchObject({ reason: 'encrypted', detail: expect.stringContaining('encrypted assertions are not supported; turn assertion encryption off in the IdP') });
  });

  it('an IdP error status', async () => {
    await expect(verify(samlResponse({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }))).rejects.toMatchObject({
      reason: 'idp_status',
      detail: 'the IdP answered urn:oasis:names:tc:SAML:2.0:status:Responder',
    });
  });

  it('a clock skew node-saml would read as "no time checks"', async () => {
    await expect(verify(samlResponse(), { clockSkewMs: -1 })).rejects.toThrow(RangeError);
  });
});
