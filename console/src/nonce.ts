import { setNonce } from 'get-nonce';

/**
 * The per-request CSP nonce. Vite writes `<meta property="csp-nonce" nonce="…">` and the server
 * fills in a fresh value. Browsers hide a nonce attribute once parsed (the `nonce` property keeps
 * it), so read the property first.
 */
export function cspNonce(doc: Document = document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  const value = meta?.nonce || meta?.getAttribute('nonce') || undefined;
  // An unfilled placeholder (vite dev server, tests) is no nonce at all.
  return value && !value.startsWith('__') ? value : undefined;
}

/** Hands the nonce to the code that injects <style> tags: Mantine (getStyleNonce) and react-remove-scroll (get-nonce). */
export function installNonce(doc: Document = document): string | undefined {
  const nonce = cspNonce(doc);
  if (nonce) setNonce(nonce);
  return nonce;
}
