import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useClient, type CombinedError } from 'urql';
import { isUnauthenticated, VIEWER_QUERY, type Viewer } from './viewer';

export type ViewerState = { status: 'loading' } | { status: 'signed-in'; viewer: Viewer } | { status: 'signed-out' } | { status: 'error'; error: CombinedError };

interface ViewerContextValue {
  state: ViewerState;
  /** Asks the server again who is signed in (after signing in or out); resolves with the answer. */
  refresh: () => Promise<ViewerState>;
  /** Forgets the viewer at once (after signing out). */
  clear: () => void;
}

const ViewerContext = createContext<ViewerContextValue | null>(null);

/** Who is signed in, asked of GraphQL's `viewer` once on load and again on demand. */
export function ViewerProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [state, setState] = useState<ViewerState>({ status: 'loading' });

  /** One answer from the server, as a state. */
  const load = useCallback(async (): Promise<ViewerState> => {
    const result = await client.query<{ viewer: Viewer | null }>(VIEWER_QUERY, {}, { requestPolicy: 'network-only' }).toPromise();
    if (result.data?.viewer) return { status: 'signed-in', viewer: result.data.viewer };
    if (!result.error || isUnauthenticated(result.error)) return { status: 'signed-out' };
    return { status: 'error', error: result.error };
  }, [client]);

  const refresh = useCallback(async () => {
    const next = await load();
    setState(next);
    return next;
  }, [load]);

  const clear = useCallback(() => setState({ status: 'signed-out' }), []);

  useEffect(() => {
    let live = true;
    void load().then((next) => live && setState(next));
    return () => {
      live = false;
    };
  }, [load]);

  const value = useMemo(() => ({ state, refresh, clear }), [state, refresh, clear]);
  return <ViewerContext.Provider value={value}>{children}</ViewerContext.Provider>;
}

export function useViewer(): ViewerContextValue {
  const value = useContext(ViewerContext);
  if (!value) throw new Error('useViewer must be used inside <ViewerProvider>');
  return value;
}
