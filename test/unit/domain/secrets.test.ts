import { createHash } from 'node:crypto';
import { hashSecret, newSecret, sameHash } from '../../../src/domain/credentials/secrets.js';

/** Stored credentials are SHA-256 hex digests of their secrets: a token issued by any earlier version must still match. */
describe('hashSecret', () => {
  it('is the SHA-256 hex digest of the secret as UTF-8, for new tokens and for any text', () => {
    for (const secret of [newSecret('scim_token'), newSecret('api_key'), 'rs_known-token', 'ünïcödé ✓', '']) {
      expect(hashSecret(secret)).toBe(createHash('sha256').update(secret, 'utf8').digest('hex'));
    }
    // a fixed vector (sha256sum of the same bytes), so that the digest itself can never drift
    expect(hashSecret('rs_known-token')).toBe('3106688197b02964d1fb50003b12b1fdf16d6b29c521849ef7e8424e5a37b121');
  });

  it('tells a secret from another by its hash, in constant time', () => {
    const a = newSecret('scim_token');
    expect(sameHash(hashSecret(a), hashSecret(a))).toBe(true);
    expect(sameHash(hashSecret(a), hashSecret(`${a}x`))).toBe(false);
    expect(sameHash(hashSecret(a), 'not hex')).toBe(false);
  });
});
