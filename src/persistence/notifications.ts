import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { withTimeout } from './timeout.js';

/** Changes to credentials or provisioning are announced here, on commit (NOTIFY is transactional). */
export const CREDENTIALS_CHANNEL = 'roster_credentials';

/** A subscription to a NOTIFY channel. */
export interface Listener {
  /** true while notifications are known to arrive; false while a connection is being re-made */
  readonly live: boolean;
  /** times the connection was lost and made again */
  readonly reconnects: number;
  close(): Promise<void>;
}

/** How to listen on the embedded database or on a Postgres server (always the primary: a replica cannot LISTEN). */
export type ListenSource = { pglite: PGlite } | { url: string };

/** How a Postgres listener notices a dead connection and comes back. */
export interface ListenOptions {
  /** application_name of the connection, so an operator (or a test) can find it in pg_stat_activity */
  name?: string;
  /** a round trip on the connection this often proves it alive (TCP keepalive alone takes minutes) */
  heartbeatMs?: number;
  /** the heartbeat's answer must come within this */
  heartbeatTimeoutMs?: number;
  /** first and largest wait between reconnection attempts (doubling, with jitter) */
  backoffMs?: { min: number; max: number };
}

const DEFAULTS = { heartbeatMs: 5000, heartbeatTimeoutMs: 3000, backoffMs: { min: 50, max: 10_000 } };

/**
 * Calls `onEvent` for every notification on `channel`, and also whenever delivery may have been
 * missed (the connection dropped, or stopped answering), so that a cache built on it can never
 * outlive a change: the cache is dropped at once and must not be filled again until `live`.
 */
export async function listen(source: ListenSource, channel: string, onEvent: () => void, options: ListenOptions = {}): Promise<Listener> {
  if ('pglite' in source) {
    // One process owns the embedded database, so its own notifications are all there are.
    const unlisten = await source.pglite.listen(channel, () => onEvent());
    return { live: true, reconnects: 0, close: () => unlisten() };
  }
  const o = { ...DEFAULTS, ...options };
  let client: Client | undefined;
  let live = false;
  let closed = false;
  let reconnects = 0;
  let everLive = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: source.url, application_name: o.name, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    const lost = () => {
      if (client !== c) return;
      live = false;
      client = undefined;
      clearInterval(heartbeat);
      onEvent();
      c.end().catch(() => undefined);
      if (closed) return;
      // Doubling waits with jitter: N processes that lost the server together do not come back in step.
      const wait = Math.min(o.backoffMs.max, o.backoffMs.min * 2 ** failures++);
      retry = setTimeout(() => void connect(), wait / 2 + Math.random() * (wait / 2));
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
      if (client !== c) return;
      // anything that changed while we were away is flushed before the feed counts as live
      onEvent();
      if (everLive) reconnects++;
      everLive = true;
      live = true;
      failures = 0;
      heartbeat = setInterval(() => void beat(c), o.heartbeatMs);
      heartbeat.unref();
    } catch {
      lost();
    }
  };

  /** A connection that stopped answering (a network partition sends no FIN) counts as lost. */
  const beat = async (c: Client) => {
    try {
      await withTimeout(c.query('select 1'), o.heartbeatTimeoutMs, 'heartbeat timed out');
    } catch {
      if (client === c) c.emit('error', new Error('the LISTEN connection stopped answering'));
    }
  };

  await connect();
  return {
    get live() {
      return live;
    },
    get reconnects() {
      return reconnects;
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      live = false;
      await c?.end().catch(() => undefined);
    },
  };
}
