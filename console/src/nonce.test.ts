import { afterEach, describe, expect, it } from 'vitest';
import { cspNonce } from './nonce';

const meta = (nonce: string) => {
  const m = document.createElement('meta');
  m.setAttribute('property', 'csp-nonce');
  m.setAttribute('nonce', nonce);
  document.head.append(m);
};

describe('cspNonce', () => {
  afterEach(() => document.head.querySelectorAll('meta').forEach((m) => m.remove()));

  it('reads the nonce the server wrote into the page', () => {
    meta('q2V3Yk9fN0xh');
    expect(cspNonce()).toBe('q2V3Yk9fN0xh');
  });

  it('ignores the unfilled placeholder and a missing tag', () => {
    expect(cspNonce()).toBeUndefined();
    meta('__ROSTER_CSP_NONCE__');
    expect(cspNonce()).toBeUndefined();
  });
});
