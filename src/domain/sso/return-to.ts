/**
 * Where to send the browser after a login or logout: a same-origin relative path, or `/`. Anything
 * that could leave the origin (`//evil`, `/\evil`, `https://…`, control characters) goes to `/`.
 */
export function safeReturnTo(value: string | undefined | null): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || hasControl(value)) return '/';
  const base = 'http://roster.invalid';
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
