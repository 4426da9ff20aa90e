import { SamlRefusal, type SamlRefusalReason } from '../../../src/saml/errors.js';
import { verifySamlResponse, type SamlConnection } from '../../../src/saml/verify-response.js';
import { encodeSamlResponse, IDP_KEYS, samlResponseXml, TEST_IDP, testSp } from '../../support/saml-idp.js';
import { MemoryAssertionStore, MemoryRequestStore } from './memory-stores.js';

/**
 * XML signature wrapping: the signed assertion stays intact (so its signature verifies) while the document
 * around it is rearranged so that a naive SP reads another, unsigned assertion.
 */
const SP = testSp();
const CONNECTION: SamlConnection = { idpEntityId: TEST_IDP.entityId, certificates: [IDP_KEYS.a.certificate], wantResponseSigned: false };
const EVIL = { nameId: 'root@example.com', attributes: { firstName: 'Eve', lastName: 'Evil', email: 'root@example.com', loginId: 'root@example.com' } };

function verify(xml: string, connection = CONNECTION) {
  return verifySamlResponse({ samlResponse: encodeSamlResponse(xml), connection, sp: SP, clockSkewMs: 60_000, requests: new MemoryRequestStore(), assertions: new MemoryAssertionStore() });
}

async function refusalOf(xml: string, connection = CONNECTION): Promise<SamlRefusalReason> {
  try {
    await verify(xml, connection);
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
  throw new Error('the wrapped Response was accepted');
}

const assertionOf = (xml: string) => /<saml2:Assertion\b[\s\S]*<\/saml2:Assertion>/.exec(xml)![0];
const idOf = (assertion: string) => /^<saml2:Assertion\b[^>]*\sID="([^"]+)"/.exec(assertion)![1];

function fixture() {
  const genuine = samlResponseXml();
  const signed = assertionOf(genuine);
  const evilSameId = assertionOf(samlResponseXml({ ...EVIL, sign: 'none', assertionId: idOf(signed) }));
  const evilOtherId = assertionOf(samlResponseXml({ ...EVIL, sign: 'none' }));
  return { genuine, signed, evilSameId, evilOtherId };
}

describe('signature wrapping', () => {
  it('the genuine Response is accepted (the variants below start from it)', async () => {
    await expect(verify(fixture().genuine)).resolves.toMatchObject({ nameId: 'ada@example.com' });
  });

  it('an unsigned assertion injected before the signed one', async () => {
    const { genuine, signed, evilOtherId } = fixture();
    expect(await refusalOf(genuine.replace(signed, evilOtherId + signed))).toBe('signature');
  });

  it('the signed assertion moved into samlp:Extensions, an evil one with its ID in its place', async () => {
    const { genuine, signed, evilSameId } = fixture();
    const wrapped = genuine.replace(signed, evilSameId).replace('<saml2p:Status', `<saml2p:Extensions>${signed}</saml2p:Extensions><saml2p:Status`);
    expect(await refusalOf(wrapped)).toBe('signature');
  });

  it('the signed assertion moved into samlp:Extensions, an evil one with another ID in its place', async () => {
    const { genuine, signed, evilOtherId } = fixture();
    const wrapped = genuine.replace(signed, evilOtherId).replace('<saml2p:Status', `<saml2p:Extensions>${signed}</saml2p:Extensions><saml2p:Status`);
    expect(await refusalOf(wrapped)).toBe('signature');
  });

  it('a second Assertion with the same ID after the signed one', async () => {
    const { genuine, signed, evilSameId } = fixture();
    expect(await refusalOf(genuine.replace(signed, signed + evilSameId))).toBe('signature');
  });

  it("an evil assertion wearing the genuine one's Signature, the genuine one hidden in its Advice", async () => {
    const { genuine, signed, evilSameId } = fixture();
    const signature = /<ds:Signature\b[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const wrapper = evilSameId.replace('</saml2:Issuer>', `</saml2:Issuer>${signature}`).replace('</saml2:Conditions>', `</saml2:Conditions><saml2:Advice>${signed}</saml2:Advice>`);
    expect(await refusalOf(genuine.replace(signed, wrapper))).toBe('signature');
  });

  it('a signed Response moved inside an unsigned one, when the Response signature is required', async () => {
    const genuine = samlResponseXml({ sign: 'both' });
    const evil = samlResponseXml({ ...EVIL, sign: 'none' });
    const body = genuine.replace(/^<\?xml[^>]*\?>/, '');
    const wrapped = evil.replace('<saml2p:Status', `<saml2p:Extensions>${body}</saml2p:Extensions><saml2p:Status`);
    expect(await refusalOf(wrapped, { ...CONNECTION, wantResponseSigned: true })).toBe('response_signature_required');
  });

  it('a comment inside a signed NameID does not truncate it (exclusive c14n drops comments from the digest)', async () => {
    const genuine = samlResponseXml({ nameId: 'ada@example.com.evil.com' });
    const commented = genuine.replace('>ada@example.com.evil.com<', '>ada@example.com<!---->.evil.com<');
    expect(commented).not.toBe(genuine);
    await expect(verify(commented)).resolves.toMatchObject({ nameId: 'ada@example.com.evil.com' });
  });
});
