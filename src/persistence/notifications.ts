import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

/** Changes to credentials or provisioning are announced here, on commit (NOTIFY is transactional). */
export const CREDENTIALS_CHANNEL = 'roster_credentials';

/** A subscription to a NOTIFY channel. */
export interface Listener {
  /** true while notifications are known to arrive; false while a connection is being re-made */
  readonly live: boolean;
  close(): Promise<void>;
}

/** How to listen on the embedded database or on a Postgres server. */
export type ListenSource = { pglite: PGlite } | { url: string };

/**
 * Calls `onEvent` for every notification on `channel`, and also whenever delivery may have been
 * missed (the connection dropped), so that a cache built on it can never outlive a change.
 */
export async function listen(source: ListenSource, channel: string, onEvent: () => void): Promise<Listener> {
  if ('pglite' in source) {
    // One process owns the embedded database, so its own notifications are all there are.
    const unlisten = await source.pglite.listen(channel, () => onEvent());
    return { live: true, close: () => unlisten() };
  }
  let client: Client | undefined;
  let live = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: source.url });
    const lost = () => {
      if (client !== c) return;
      live = false;
      client = undefined;
      onEvent();
      c.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 1000);
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel === channel) onEvent();
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      // anything that changed while we were away is flushed before the feed counts as live
      onEvent();
      live = true;
    } catch {
      lost();
    }
  };
  await connect();
  return {
    get live() {
      return live;
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      live = false;
      await c?.end().catch(() => undefined);
    },
  };
}
