import { X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Turns a certificate given as PEM or as a bare base64 DER body (what metadata's X509Certificate holds)
 * into its base64 DER body on one line, or throws an Error saying why it is not an X.509 certificate.
 */
export function certificateBody(value: string): string {
  const trimmed = value.trim();
  const pem = PEM_CERTIFICATE.exec(trimmed);
  if (!pem && trimmed.startsWith('-----')) throw new Error('it is PEM but not a single CERTIFICATE block');
  const body = (pem ? pem[1] : trimmed).replace(/\s+/g, '');
  if (!body) throw new Error('it is empty');
  if (!BASE64.test(body) || body.length % 4 !== 0) throw new Error('it is neither PEM nor base64');
  try {
    new X509Certificate(Buffer.from(body, 'base64'));
  } catch (error) {
    throw new Error(`it is not a valid X.509 certificate (${(error as Error).message})`, { cause: error });
  }
  return body;
}

export function certificatePem(body: string): string {
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}
