import { InvalidSamlMetadata } from '../../../src/saml/errors.js';
import { MAX_METADATA_BYTES, parseIdpMetadata, validateIdpSettings } from '../../../src/saml/idp-metadata.js';
import { spMetadataXml } from '../../../src/saml/sp-metadata.js';
import { IDP_KEYS, idpMetadataXml, TEST_IDP, testSp } from '../../support/saml-idp.js';

/** The message parseIdpMetadata refuses with; fails if it accepts or throws anything else. */
function refusal(xml: string): string {
  try {
    parseIdpMetadata(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSamlMetadata);
    expect((error as InvalidSamlMetadata).code).toBe('INVALID_VALUE');
    return (error as Error).message;
  }
  throw new Error('the metadata was accepted');
}

const okta = idpMetadataXml();

describe('parseIdpMetadata', () => {
  it('reads Okta-shaped metadata with one signing certificate, preferring the HTTP-Redirect binding', () => {
    expect(parseIdpMetadata(okta)).toEqual({ entityId: TEST_IDP.entityId, ssoUrl: TEST_IDP.ssoUrl, ssoBinding: 'HTTP-Redirect', certificates: [IDP_KEYS.a.certificate] });
  });

  it('keeps every signing certificate, for rotation', () => {
    expect(parseIdpMetadata(idpMetadataXml({ keys: [IDP_KEYS.a, IDP_KEYS.b] })).certificates).toEqual([IDP_KEYS.a.certificate, IDP_KEYS.b.certificate]);
  });

  it('falls back to HTTP-POST, counts a KeyDescriptor without use, skips encryption keys, and reads line-wrapped certificates', () => {
    const wrapped = IDP_KEYS.b.certificate.match(/.{1,64}/g)!.join('\n      ');
    const xml = okta
      .replace(/<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*\/>/, '')
      .replace(
        '<md:KeyDescriptor use="signing">',
        `<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${IDP_KEYS.attacker.certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:KeyDescriptor>`,
      )
      .replace(IDP_KEYS.a.certificate, `\n      ${wrapped}\n    `);
    expect(parseIdpMetadata(xml)).toEqual({ entityId: TEST_IDP.entityId, ssoUrl: TEST_IDP.ssoUrl, ssoBinding: 'HTTP-POST', certificates: [IDP_KEYS.b.certificate] });
  });

  it('says exactly what is wrong with bad metadata', () => {
    expect(refusal('<!DOCTYPE x [<!ENTITY a "b">]>' + okta.replace(/^<\?xml[^>]*\?>/, ''))).toBe('The IdP metadata contains a DOCTYPE or ENTITY declaration, which Roster refuses.');
    expect(refusal('this is not XML')).toMatch(/^The IdP metadata is not well-formed XML: /);
    expect(refusal('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">')).toMatch(/^The IdP metadata is not well-formed XML: /);
    expect(refusal('<html><body>Sign in</body></html>')).toBe("The IdP metadata's root element is html, not an md:EntityDescriptor (urn:oasis:names:tc:SAML:2.0:metadata).");
    expect(refusal('<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>')).toBe(
      'The IdP metadata is an EntitiesDescriptor (a federation list); give the metadata of one IdP (an EntityDescriptor).',
    );
    expect(refusal(okta.replace(`entityID="${TEST_IDP.entityId}"`, ''))).toBe('The IdP metadata has no entityID on its EntityDescriptor.');
    expect(refusal(spMetadataXml(testSp()))).toBe('The IdP metadata has no IDPSSODescriptor for SAML 2.0 (protocolSupportEnumeration urn:oasis:names:tc:SAML:2.0:protocol).');
    expect(refusal(okta.replace(/<md:SingleSignOnService [^>]*\/>/g, ''))).toBe('The IdP metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.');
    expect(refusal(okta.replaceAll(TEST_IDP.ssoUrl, 'javascript:alert(1)'))).toBe('The SingleSignOnService Location "javascript:alert(1)" is not an http or https URL.');
    expect(refusal(okta.replaceAll(TEST_IDP.ssoUrl, '/sso/saml'))).toBe('The SingleSignOnService Location "/sso/saml" is not a URL.');
    expect(refusal(okta.replace('use="signing"', 'use="encryption"'))).toBe('The IdP metadata has no signing certificate (a KeyDescriptor with use="signing" or no use).');
    expect(refusal(okta.replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, ''))).toBe('The IdP metadata has no signing certificate (a KeyDescriptor with use="signing" or no use).');
    expect(refusal(okta.replace(IDP_KEYS.a.certificate, 'AAAA'))).toMatch(/^The certificate in KeyDescriptor 1 of the IdP metadata is unusable: it is not a valid X\.509 certificate \(.+\)\.$/);
    expect(refusal(okta.replace(IDP_KEYS.a.certificate, 'not base64!'))).toBe('The certificate in KeyDescriptor 1 of the IdP metadata is unusable: it is neither PEM nor base64.');
    expect(refusal(okta.replace(/<ds:X509Data>.*<\/ds:X509Data>/, ''))).toBe('KeyDescriptor 1 of the IdP metadata has no ds:X509Certificate.');
    expect(refusal(okta + `<!--${'x'.repeat(MAX_METADATA_BYTES)}-->`)).toBe('The IdP metadata is larger than 256 KB.');
  });
});

describe('validateIdpSettings', () => {
  it('accepts certificates as PEM or base64 and normalises them to base64 bodies', () => {
    expect(validateIdpSettings({ entityId: ` ${TEST_IDP.entityId} `, ssoUrl: TEST_IDP.ssoUrl, certificates: [IDP_KEYS.a.certificatePem, IDP_KEYS.b.certificate] })).toEqual({
      entityId: TEST_IDP.entityId,
      ssoUrl: TEST_IDP.ssoUrl,
      ssoBinding: 'HTTP-Redirect',
      certificates: [IDP_KEYS.a.certificate, IDP_KEYS.b.certificate],
    });
  });

  it('names the field that is wrong', () => {
    const good = { entityId: TEST_IDP.entityId, ssoUrl: TEST_IDP.ssoUrl, certificates: [IDP_KEYS.a.certificate] };
    const message = (input: Parameters<typeof validateIdpSettings>[0]) => {
      try {
        validateIdpSettings(input);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSamlMetadata);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ ...good, entityId: '  ' })).toBe('entityId: the IdP entity ID is empty.');
    expect(message({ ...good, ssoUrl: 'ftp://idp.example.com/sso' })).toBe('ssoUrl "ftp://idp.example.com/sso" is not an http or https URL.');
    expect(message({ ...good, certificates: [] })).toBe('certificates: at least one IdP signing certificate is required.');
    expect(message({ ...good, certificates: [IDP_KEYS.a.certificate, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'] })).toBe(
      'certificates[1]: it is PEM but not a single CERTIFICATE block.',
    );
  });
});
