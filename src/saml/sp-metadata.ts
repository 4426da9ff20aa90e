import { BINDING, escapeXml, NS } from './xml.js';

/** Roster's side of a connection: its entity ID (the IdP's "Audience URI") and its ACS URL. */
export interface SpSettings {
  entityId: string;
  acsUrl: string;
}

/**
 * The SP metadata an IdP admin uploads or copies from. Requests are not signed (Roster holds no SP key);
 * assertions must be.
 */
export function spMetadataXml(sp: SpSettings): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${escapeXml(sp.entityId)}">`,
    `  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="${NS.protocol}">`,
    '    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>',
    '    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>',
    `    <md:AssertionConsumerService Binding="${BINDING.post}" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ].join('\n');
}
