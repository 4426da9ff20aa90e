import { InvalidValue } from '../domain/errors/domain-errors.js';

/** IdP metadata or IdP settings Roster cannot use; the message says what is wrong and is safe to show to an admin. */
export class InvalidSamlMetadata extends InvalidValue {}

/**
 * Why a SAML Response was refused. These go to the log and the audit trail; the browser only ever sees a
 * generic refusal, because details would help an attacker tune a forgery.
 */
export type SamlRefusalReason =
  | 'too_large'
  | 'malformed'
  | 'doctype'
  | 'encrypted'
  | 'idp_status'
  | 'no_assertion'
  | 'signature'
  | 'response_signature_required'
  | 'issuer'
  | 'audience'
  | 'recipient'
  | 'destination'
  | 'expired'
  | 'not_yet_valid'
  | 'no_subject'
  | 'in_response_to_unknown'
  | 'in_response_to_mismatch'
  | 'downgrade'
  | 'replay';

/** A SAML Response that must not sign anyone in. `detail` is for the log only. */
export class SamlRefusal extends Error {
  constructor(
    readonly reason: SamlRefusalReason,
    readonly detail: string,
  ) {
    super(`SAML response refused (${reason}): ${detail}`);
    this.name = 'SamlRefusal';
  }
}
