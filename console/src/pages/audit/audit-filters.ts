/** The audit log's filters as they live in the URL (?actor=&idp=&action=&resourceType=&resourceId=&since=&until=&page=). */

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  actor: string;
  idp: string;
  /** an action prefix ending with "." (user.) or an exact action */
  action: string;
  resourceType: string;
  resourceId: string;
  /** ISO instants */
  since: string;
  until: string;
}

export const FILTER_KEYS: readonly (keyof AuditFilters)[] = ['actor', 'idp', 'action', 'resourceType', 'resourceId', 'since', 'until'];

export const EVENT_TYPES: readonly { value: string; label: string }[] = [
  { value: '', label: 'All events' },
  { value: 'user.', label: 'Users (user.)' },
  { value: 'group.', label: 'Groups (group.)' },
  { value: 'credential.', label: 'API keys and tokens (credential.)' },
  { value: 'provisioning.', label: 'Provisioning (provisioning.)' },
  { value: 'saml.', label: 'SAML connections (saml.)' },
  { value: 'sso.', label: 'Sign-ins (sso.)' },
  { value: 'session.', label: 'Sessions (session.)' },
  { value: 'console.', label: 'Console sign-ins (console.)' },
];

export const RESOURCE_TYPES: readonly string[] = ['User', 'Group', 'Credential', 'Provisioning', 'SamlConnection', 'Session'];

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const get = (k: string) => params.get(k) ?? '';
  return { actor: get('actor'), idp: get('idp'), action: get('action'), resourceType: get('resourceType'), resourceId: get('resourceId'), since: get('since'), until: get('until') };
}

export function pageFromParams(params: URLSearchParams): number {
  const n = Number(params.get('page'));
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** The URL parameters for these filters on this page (empty ones and page 1 left out). */
export function toParams(filters: AuditFilters, page = 1): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k].trim()) out.set(k, filters[k].trim());
  if (page > 1) out.set('page', String(page));
  return out;
}

/** The AuditFilterInput: only what is set; null when nothing is. */
export function toFilterInput(filters: AuditFilters): Partial<AuditFilters> | null {
  const input: Partial<AuditFilters> = {};
  for (const k of FILTER_KEYS) if (filters[k].trim()) input[k] = filters[k].trim();
  return Object.keys(input).length ? input : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → the value of a datetime-local input, in the viewer's time zone. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (viewer's time zone) → ISO instant; '' when empty or invalid. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** Where an event's object lives in the console, if anywhere. */
export function resourcePath(resourceType: string, resourceId: string | null): string | null {
  switch (resourceType) {
    case 'User':
      return resourceId ? `/users/${encodeURIComponent(resourceId)}` : null;
    case 'Group':
      return resourceId ? `/groups/${encodeURIComponent(resourceId)}` : null;
    case 'Credential':
      return '/api-keys';
    case 'SamlConnection':
      return '/sso';
    case 'Provisioning':
      return '/provisioning';
    default:
      return null;
  }
}
