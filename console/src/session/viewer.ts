import type { CombinedError } from 'urql';

/** The signed-in identity, as GraphQL's `viewer` answers it. */
export interface Viewer {
  role: string;
  idp: string | null;
  credentialName: string | null;
  user: { userName: string; displayName: string | null } | null;
}

export const VIEWER_QUERY = /* GraphQL */ `
  query Viewer {
    viewer {
      role
      idp
      credentialName
      user {
        userName
        displayName
      }
    }
  }
`;

/** Whether an error means "nobody is signed in" (the GraphQL code, or a 401 from the endpoint). */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (!error) return false;
  if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return true;
  return (error.response as Response | undefined)?.status === 401;
}

/** How the header names the caller: the person, else the API key's name. */
export function viewerName(viewer: Viewer): string {
  if (viewer.user) return viewer.user.displayName || viewer.user.userName;
  return viewer.credentialName ? `API key ${viewer.credentialName}` : viewer.role;
}
