import type { CombinedError } from 'urql';
import { errorMessage } from '../../../components';

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A DateTimeISO as the viewer reads it; an em dash for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE_TIME.format(d);
}

/** How an IdP label reads: "okta" → "Okta", "entra" → "Entra ID", others as they are. */
export function idpName(idp: string): string {
  const known: Record<string, string> = { okta: 'Okta', entra: 'Entra ID', azure: 'Entra ID', onelogin: 'OneLogin', google: 'Google', jumpcloud: 'JumpCloud' };
  return known[idp.toLowerCase()] ?? idp;
}

/** IdP labels as the server accepts them (credential-service IDP_LABEL). */
export const IDP_LABEL = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Throws the error of a mutation result as an Error with its message (for ConfirmButton and forms). */
export function throwIfError(error: CombinedError | undefined): void {
  if (error) throw new Error(errorMessage(error));
}

/** Whether a GraphQL error carries this extensions.code (e.g. INVALID_VALUE). */
export function hasCode(error: CombinedError | undefined, code: string): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === code);
}
