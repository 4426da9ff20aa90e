import { certificateBody } from './certificates.js';
import { InvalidSamlMetadata } from './errors.js';
import { attribute, BINDING, childElements, descendants, hasDoctype, NS, parseXml, text, type ParsedXml } from './xml.js';

/** What Roster needs to know about one IdP. */
export interface IdpSettings {
  entityId: string;
  ssoUrl: string;
  /** Redirect is preferred: the login is then a plain 302 with no page of ours in between. */
  ssoBinding: 'HTTP-Redirect' | 'HTTP-POST';
  /** Base64 DER bodies, one line each; several while the IdP rotates its signing key. */
  certificates: string[];
}

/** Real IdP metadata is a few KB; the cap keeps an upload from costing a parse of megabytes. */
export const MAX_METADATA_BYTES = 256 * 1024;

const SAML2_PROTOCOL = NS.protocol;

/** Reads an IdP's SAML 2.0 metadata (one EntityDescriptor); throws InvalidSamlMetadata saying what is wrong. */
export function parseIdpMetadata(xml: string): IdpSettings {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) throw new InvalidSamlMetadata(`The IdP metadata is larger than ${MAX_METADATA_BYTES / 1024} KB.`);
  if (hasDoctype(xml)) throw new InvalidSamlMetadata('The IdP metadata contains a DOCTYPE or ENTITY declaration, which Roster refuses.');
  let doc: ParsedXml;
  try {
    doc = parseXml(xml);
  } catch (error) {
    throw new InvalidSamlMetadata(`The IdP metadata is not well-formed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (root.namespaceURI === NS.metadata && root.localName === 'EntitiesDescriptor') {
    throw new InvalidSamlMetadata('The IdP metadata is an EntitiesDescriptor (a federation list); give the metadata of one IdP (an EntityDescriptor).');
  }
  if (root.namespaceURI !== NS.metadata || root.localName !== 'EntityDescriptor') {
    throw new InvalidSamlMetadata(`The IdP metadata's root element is ${root.tagName}, not an md:EntityDescriptor (urn:oasis:names:tc:SAML:2.0:metadata).`);
  }
  const entityId = attribute(root, 'entityID')?.trim();
  if (!entityId) throw new InvalidSamlMetadata('The IdP metadata has no entityID on its EntityDescriptor.');

  const idp = childElements(root, NS.metadata, 'IDPSSODescriptor').find((d) => (attribute(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
  if (!idp) throw new InvalidSamlMetadata('The IdP metadata has no IDPSSODescriptor for SAML 2.0 (protocolSupportEnumeration urn:oasis:names:tc:SAML:2.0:protocol).');

  const services = childElements(idp, NS.metadata, 'SingleSignOnService');
  const service = services.find((s) => attribute(s, 'Binding') === BINDING.redirect) ?? services.find((s) => attribute(s, 'Binding') === BINDING.post);
  if (!service) throw new InvalidSamlMetadata('The IdP metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.');
  const ssoUrl = checkUrl(attribute(service, 'Location') ?? '', 'The SingleSignOnService Location');

  const certificates: string[] = [];
  childElements(idp, NS.metadata, 'KeyDescriptor').forEach((key, index) => {
    const use = attribute(key, 'use');
    if (use !== undefined && use !== 'signing') return;
    const values = descendants(key, NS.dsig, 'X509Certificate').map((c) => text(c) ?? '');
    if (values.length === 0) throw new InvalidSamlMetadata(`KeyDescriptor ${index + 1} of the IdP metadata has no ds:X509Certificate.`);
    for (const value of values) {
      try {
        certificates.push(certificateBody(value));
      } catch (error) {
        throw new InvalidSamlMetadata(`The certificate in KeyDescriptor ${index + 1} of the IdP metadata is unusable: ${(error as Error).message}.`);
      }
    }
  });
  if (certificates.length === 0) throw new InvalidSamlMetadata('The IdP metadata has no signing certificate (a KeyDescriptor with use="signing" or no use).');

  return { entityId, ssoUrl, ssoBinding: attribute(service, 'Binding') === BINDING.redirect ? 'HTTP-Redirect' : 'HTTP-POST', certificates: [...new Set(certificates)] };
}

/** The same settings typed in field by field, for an IdP without metadata; throws InvalidSamlMetadata naming the field. */
export function validateIdpSettings(input: { entityId: string; ssoUrl: string; ssoBinding?: IdpSettings['ssoBinding']; certificates: readonly string[] }): IdpSettings {
  const entityId = input.entityId.trim();
  if (!entityId) throw new InvalidSamlMetadata('entityId: the IdP entity ID is empty.');
  if (entityId.length > 1024) throw new InvalidSamlMetadata('entityId: the IdP entity ID is longer than 1024 characters.');
  const ssoUrl = checkUrl(input.ssoUrl, 'ssoUrl');
  const ssoBinding = input.ssoBinding ?? 'HTTP-Redirect';
  if (ssoBinding !== 'HTTP-Redirect' && ssoBinding !== 'HTTP-POST') throw new InvalidSamlMetadata('ssoBinding: must be HTTP-Redirect or HTTP-POST.');
  if (input.certificates.length === 0) throw new InvalidSamlMetadata('certificates: at least one IdP signing certificate is required.');
  const certificates = input.certificates.map((value, index) => {
    try {
      return certificateBody(value);
    } catch (error) {
      throw new InvalidSamlMetadata(`certificates[${index}]: ${(error as Error).message}.`);
    }
  });
  return { entityId, ssoUrl, ssoBinding, certificates: [...new Set(certificates)] };
}

function checkUrl(value: string, what: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidSamlMetadata(`${what} ${JSON.stringify(trimmed)} is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidSamlMetadata(`${what} ${JSON.stringify(trimmed)} is not an http or https URL.`);
  return trimmed;
}
