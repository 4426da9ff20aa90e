import { createRequire } from 'node:module';
import { spMetadataXml } from '../../../src/saml/sp-metadata.js';
import { verifySamlResponse } from '../../../src/saml/verify-response.js';
import { IDP_KEYS, idpMetadataXml, testSp } from '../../support/saml-idp.js';
import { MemoryAssertionStore, MemoryRequestStore } from './memory-stores.js';

/**
 * A second, independent IdP implementation: samlify 2.13.1 builds and signs the Response from our SP
 * metadata. samlify is loaded untyped because its typings import @xmldom/xmldom's, which pull the DOM lib
 * into the whole TypeScript program.
 */
interface SamlifyEntity {
  createLoginResponse(sp: SamlifyEntity, requestInfo: object, binding: 'post', user: object, tags: (template: string) => { id: string; context: string }): Promise<{ context: string }>;
}
interface Samlify {
  setSchemaValidator(validator: { validate: (xml: string) => Promise<string> }): void;
  IdentityProvider(settings: object): SamlifyEntity;
  ServiceProvider(settings: object): SamlifyEntity;
  SamlLib: { defaultLoginResponseTemplate: { context: string }; replaceTagsByValue(template: string, values: Record<string, string>): string };
}
const samlify = createRequire(import.meta.url)('samlify') as Samlify;
// Schema validation is the SP's business, not the test IdP's.
samlify.setSchemaValidator({ validate: async () => 'skipped' });

const SP = testSp();
const IDP_ENTITY_ID = 'https://samlify-idp.test/metadata';
const ATTRIBUTES = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', loginId: 'grace@example.com' };

async function samlifyResponse(requestId: string): Promise<string> {
  const idp = samlify.IdentityProvider({
    metadata: idpMetadataXml({ entityId: IDP_ENTITY_ID, keys: [IDP_KEYS.b] }),
    privateKey: IDP_KEYS.b.privateKeyPem,
    loginResponseTemplate: {
      context: samlify.SamlLib.defaultLoginResponseTemplate.context,
      attributes: Object.keys(ATTRIBUTES).map((name) => ({ name, valueTag: name, nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified', valueXsiType: 'xs:string' })),
    },
  });
  const sp = samlify.ServiceProvider({ metadata: spMetadataXml(SP) });
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000).toISOString();
  const { context } = await idp.createLoginResponse(sp, { extract: { request: { id: requestId } } }, 'post', { email: ATTRIBUTES.email }, (template) => ({
    id: 'unused',
    context: samlify.SamlLib.replaceTagsByValue(template, {
      ID: `_${requestId}r`,
      AssertionID: `_${requestId}a`,
      Destination: SP.acsUrl,
      Audience: SP.entityId,
      SubjectRecipient: SP.acsUrl,
      Issuer: IDP_ENTITY_ID,
      IssueInstant: now.toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: now.toISOString(),
      ConditionsNotOnOrAfter: later,
      SubjectConfirmationDataNotOnOrAfter: later,
      NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      NameID: ATTRIBUTES.email,
      InResponseTo: requestId,
      AuthnStatement: '',
      attrFirstName: ATTRIBUTES.firstName,
      attrLastName: ATTRIBUTES.lastName,
      attrEmail: ATTRIBUTES.email,
      attrLoginId: ATTRIBUTES.loginId,
    }),
  }));
  return context;
}

it('accepts an SP-initiated Response produced and signed by samlify', async () => {
  const requests = new MemoryRequestStore();
  const requestId = requests.issue('_samlify0request0id');
  const login = await verifySamlResponse({
    samlResponse: await samlifyResponse(requestId),
    connection: { idpEntityId: IDP_ENTITY_ID, certificates: [IDP_KEYS.b.certificate], wantResponseSigned: false },
    sp: SP,
    clockSkewMs: 60_000,
    requests,
    assertions: new MemoryAssertionStore(),
  });
  expect(login).toEqual({
    assertionId: `_${requestId}a`,
    issuer: IDP_ENTITY_ID,
    nameId: ATTRIBUTES.email,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    inResponseTo: requestId,
    notOnOrAfter: expect.any(Date),
    attributes: ATTRIBUTES,
    rawAttributes: { firstName: ['Grace'], lastName: ['Hopper'], email: ['grace@example.com'], loginId: ['grace@example.com'] },
  });
});
