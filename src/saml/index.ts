export { checkVerifiedAssertion, type AssertionExpectations, type CheckedAssertion, type SamlProfileAttributes } from './assertion-checks.js';
export { buildLoginRedirect, MAX_RELAY_STATE_BYTES, type LoginRedirect } from './authn-request.js';
export { InvalidSamlMetadata, SamlRefusal, type SamlRefusalReason } from './errors.js';
export { MAX_METADATA_BYTES, parseIdpMetadata, validateIdpSettings, type IdpSettings } from './idp-metadata.js';
export { spMetadataXml, type SpSettings } from './sp-metadata.js';
export {
  claimedIssuer,
  MAX_RESPONSE_BYTES,
  verifySamlResponse,
  type SamlAssertionStore,
  type SamlConnection,
  type SamlRequestStore,
  type VerifiedSamlLogin,
  type VerifySamlResponseInput,
} from './verify-response.js';
