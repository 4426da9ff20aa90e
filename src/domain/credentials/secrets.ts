import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialKind } from './credential-record.js';

const PREFIX: Record<CredentialKind, string> = { api_key: 'rk_', scim_token: 'rs_' };

/** A new secret: 256 random bits, prefixed so people (and secret scanners) can tell what it is. */
export function newSecret(kind: CredentialKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** The stored form of a secret. A fast hash suffices for 256-bit random secrets (no guessing). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What is shown of a secret after creation: enough to tell keys apart, too little to use. */
export const secretPrefix = (secret: string): string => secret.slice(0, 10);
