/** GraphQL FilterInput trees the lists send (executed in SQL by the server). */

export interface FilterInput {
  and?: FilterInput[];
  or?: FilterInput[];
  not?: FilterInput;
  compare?: { path: string; op: 'EQ' | 'NE' | 'CO' | 'SW' | 'EW' | 'GT' | 'GE' | 'LT' | 'LE' | 'PR'; value?: string | number | boolean | null };
}

export const co = (path: string, value: string): FilterInput => ({ compare: { path, op: 'CO', value } });
export const eq = (path: string, value: string | boolean): FilterInput => ({ compare: { path, op: 'EQ', value } });

/** Every criterion given, or null for none. */
export function allOf(parts: (FilterInput | null)[]): FilterInput | null {
  const given = parts.filter((p): p is FilterInput => p !== null);
  if (given.length === 0) return null;
  return given.length === 1 ? given[0]! : { and: given };
}

/** userName, the name's parts, displayName or any email containing the text. */
export function userSearch(q: string): FilterInput | null {
  const text = q.trim();
  if (!text) return null;
  return { or: ['userName', 'displayName', 'name.formatted', 'name.givenName', 'name.familyName', 'emails.value'].map((path) => co(path, text)) };
}

/** The managing IdP ("local" for users and groups made in Roster). */
export function sourceFilter(source: string): FilterInput | null {
  return source ? eq('source', source) : null;
}
