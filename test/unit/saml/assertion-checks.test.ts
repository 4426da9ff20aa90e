import { checkVerifiedAssertion, type AssertionExpectations } from '../../../src/saml/assertion-checks.js';
import { SamlRefusal, type SamlRefusalReason } from '../../../src/saml/errors.js';
import { samlResponseXml, TEST_IDP, testSp, type TestResponseOptions } from '../../support/saml-idp.js';

/** The same checks verifySamlResponse runs after node-saml, with the clock injected. */
const NOW = new Date('2026-01-01T12:00:00.000Z');
const MINUTE = 60_000;
const SP = testSp();
const EXPECTED: AssertionExpectations = { idpEntityId: TEST_IDP.entityId, sp: SP, clockSkewMs: 0 };

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const assertionXml = (options: TestResponseOptions = {}) => /<saml2:Assertion\b[\s\S]*<\/saml2:Assertion>/.exec(samlResponseXml({ now: NOW, sign: 'none', ...options }))![0];

function refusalOf(xml: string, now: Date, expected: AssertionExpectations = EXPECTED): SamlRefusalReason {
  try {
    checkVerifiedAssertion(xml, expected, now);
  } catch (error) {
    if (error instanceof SamlRefusal) return error.reason;
    throw error;
  }
  throw new Error('the assertion passed');
}

describe('checkVerifiedAssertion', () => {
  it('reads the login from a good assertion', () => {
    expect(checkVerifiedAssertion(assertionXml({ assertionId: 'id1', inResponseTo: '_req1' }), EXPECTED, NOW)).toEqual({
      assertionId: 'id1',
      issuer: TEST_IDP.entityId,
      nameId: 'ada@example.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndex: 'id1',
      inResponseTo: '_req1',
      notOnOrAfter: at(5 * MINUTE),
      attributes: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', loginId: 'ada@example.com' },
      rawAttributes: { firstName: ['Ada'], lastName: ['Lovelace'], email: ['ada@example.com'], loginId: ['ada@example.com'] },
    });
  });

  it('refuses from NotOnOrAfter on, and before NotBefore, to the millisecond', () => {
    const xml = assertionXml();
    expect(checkVerifiedAssertion(xml, EXPECTED, at(5 * MINUTE - 1)).nameId).toBe('ada@example.com');
    expect(refusalOf(xml, at(5 * MINUTE))).toBe('expired');
    expect(checkVerifiedAssertion(xml, EXPECTED, at(-5 * MINUTE)).nameId).toBe('ada@example.com');
    expect(refusalOf(xml, at(-5 * MINUTE - 1))).toBe('not_yet_valid');
  });

  it('widens both ends by the clock skew', () => {
    const xml = assertionXml();
    const skewed = { ...EXPECTED, clockSkewMs: MINUTE };
    expect(checkVerifiedAssertion(xml, skewed, at(6 * MINUTE - 1)).nameId).toBe('ada@example.com');
    expect(refusalOf(xml, at(6 * MINUTE), skewed)).toBe('expired');
    expect(checkVerifiedAssertion(xml, skewed, at(-6 * MINUTE)).nameId).toBe('ada@example.com');
    expect(refusalOf(xml, at(-6 * MINUTE - 1), skewed)).toBe('not_yet_valid');
  });

  it('ends at the earlier of the Conditions and the SubjectConfirmationData', () => {
    const xml = assertionXml({ subjectNotOnOrAfterOffsetMs: 2 * MINUTE });
    expect(checkVerifiedAssertion(xml, EXPECTED, NOW).notOnOrAfter).toEqual(at(2 * MINUTE));
    expect(refusalOf(xml, at(2 * MINUTE))).toBe('expired');
  });

  it('refuses an assertion without any NotOnOrAfter, which could be replayed for ever', () => {
    expect(refusalOf(assertionXml().replace(/ NotOnOrAfter="[^"]*"/g, ''), NOW)).toBe('malformed');
  });

  it('refuses a timestamp that is not an xs:dateTime', () => {
    expect(refusalOf(assertionXml().replace(/NotBefore="[^"]*"/, 'NotBefore="Tuesday"'), NOW)).toBe('malformed');
  });

  it('wants our entity ID in every AudienceRestriction', () => {
    const xml = assertionXml();
    expect(refusalOf(xml.replace(/<saml2:AudienceRestriction>[\s\S]*<\/saml2:AudienceRestriction>/, ''), NOW)).toBe('audience');
    const other = '<saml2:AudienceRestriction><saml2:Audience>https://other.example.com</saml2:Audience></saml2:AudienceRestriction>';
    expect(refusalOf(xml.replace('</saml2:Conditions>', `${other}</saml2:Conditions>`), NOW)).toBe('audience');
    const both = `<saml2:AudienceRestriction><saml2:Audience>https://other.example.com</saml2:Audience><saml2:Audience>${SP.entityId}</saml2:Audience></saml2:AudienceRestriction>`;
    expect(checkVerifiedAssertion(xml.replace('</saml2:Conditions>', `${both}</saml2:Conditions>`), EXPECTED, NOW).nameId).toBe('ada@example.com');
  });

  it('uses the bearer confirmation addressed to our ACS URL', () => {
    const xml = assertionXml({ inResponseTo: '_ours' });
    const foreign = `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="_theirs" NotOnOrAfter="${at(MINUTE).toISOString()}" Recipient="https://other.example.com/acs"/></saml2:SubjectConfirmation>`;
    expect(checkVerifiedAssertion(xml.replace('<saml2:SubjectConfirmation ', `${foreign}<saml2:SubjectConfirmation `), EXPECTED, NOW).inResponseTo).toBe('_ours');
    expect(refusalOf(xml.replace('urn:oasis:names:tc:SAML:2.0:cm:bearer', 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key'), NOW)).toBe('no_subject');
    expect(refusalOf(assertionXml({ recipient: 'https://other.example.com/acs' }), NOW)).toBe('recipient');
  });

  it('refuses another issuer and a missing NameID', () => {
    expect(refusalOf(assertionXml({ issuer: 'https://evil.example.com' }), NOW)).toBe('issuer');
    expect(refusalOf(assertionXml().replace(/<saml2:NameID[^>]*>[^<]*<\/saml2:NameID>/, ''), NOW)).toBe('no_subject');
  });

  it('keeps every attribute value, skips empty ones for the four, and stores "__proto__" as a plain key', () => {
    const checked = checkVerifiedAssertion(
      assertionXml({
        attributes: Object.fromEntries([
          ['firstName', ['', 'Ada']],
          ['email', ['a@example.com', 'b@example.com']],
          ['__proto__', 'x'],
        ]),
      }),
      EXPECTED,
      NOW,
    );
    expect(checked.attributes).toEqual({ firstName: 'Ada', email: 'a@example.com' });
    expect(Object.keys(checked.rawAttributes)).toEqual(['firstName', 'email', '__proto__']);
    expect(Object.getPrototypeOf(checked.rawAttributes)).toBe(Object.prototype);
    expect(checked.rawAttributes.email).toEqual(['a@example.com', 'b@example.com']);
  });
});
