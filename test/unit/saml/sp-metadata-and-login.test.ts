import { buildLoginRedirect } from '../../../src/saml/authn-request.js';
import { spMetadataXml } from '../../../src/saml/sp-metadata.js';
import { parseXml } from '../../../src/saml/xml.js';
import { readRedirectRequest, TEST_IDP, testSp } from '../../support/saml-idp.js';

const SP = testSp();

describe('spMetadataXml', () => {
  it('describes an SP that wants signed assertions and takes them by HTTP-POST at the ACS URL', () => {
    const xml = spMetadataXml(SP);
    const root = parseXml(xml).documentElement;
    expect([root.localName, root.getAttribute('entityID')]).toEqual(['EntityDescriptor', SP.entityId]);
    expect(xml).toContain('<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">');
    expect(xml).toContain('<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>');
    expect(xml).toContain('<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>');
    expect(xml).toContain(`<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${SP.acsUrl}" index="0" isDefault="true"/>`);
  });

  it('escapes what it is given', () => {
    const xml = spMetadataXml({ entityId: 'https://roster.example.com/saml?a=1&b="2"', acsUrl: 'https://roster.example.com/acs?x=<y>' });
    const root = parseXml(xml).documentElement;
    expect(root.getAttribute('entityID')).toBe('https://roster.example.com/saml?a=1&b="2"');
    expect(xml).toContain('Location="https://roster.example.com/acs?x=&lt;y&gt;"');
  });
});

describe('buildLoginRedirect', () => {
  it('sends the browser to the IdP with an AuthnRequest whose ID the caller gets, and the RelayState', async () => {
    const { url, requestId } = await buildLoginRedirect({ idp: { ssoUrl: TEST_IDP.ssoUrl }, sp: SP, relayState: 'state-1' });
    expect(url.startsWith(`${TEST_IDP.ssoUrl}?`)).toBe(true);
    const request = readRedirectRequest(url);
    expect(request.id).toBe(requestId);
    expect(request.relayState).toBe('state-1');
    expect(requestId).toMatch(/^_[0-9a-f]{40}$/);
    const root = parseXml(request.xml).documentElement;
    expect([root.localName, root.getAttribute('Destination'), root.getAttribute('AssertionConsumerServiceURL'), root.getAttribute('ProtocolBinding')]).toEqual([
      'AuthnRequest',
      TEST_IDP.ssoUrl,
      SP.acsUrl,
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
    ]);
    expect(request.xml).toContain(`>${SP.entityId}</saml:Issuer>`);
    expect(request.xml).not.toContain('RequestedAuthnContext');
  });

  it('makes a new ID each time, keeps the SSO URL query, and leaves RelayState out when there is none', async () => {
    const first = await buildLoginRedirect({ idp: { ssoUrl: 'https://idp.example.com/sso?tenant=7' }, sp: SP });
    const second = await buildLoginRedirect({ idp: { ssoUrl: 'https://idp.example.com/sso?tenant=7' }, sp: SP });
    expect(first.requestId).not.toBe(second.requestId);
    expect(new URL(first.url).searchParams.get('tenant')).toBe('7');
    expect(readRedirectRequest(first.url).relayState).toBeUndefined();
  });

  it('refuses a RelayState over the 80 bytes the binding allows', async () => {
    await expect(buildLoginRedirect({ idp: { ssoUrl: TEST_IDP.ssoUrl }, sp: SP, relayState: 'x'.repeat(81) })).rejects.toThrow(RangeError);
  });
});
