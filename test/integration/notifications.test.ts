import { Client } from 'pg';
import { listen } from '../../src/persistence/notifications.js';
import { until } from '../support/wait.js';

/**
 * The Postgres listener behind the credential cache: it reports every NOTIFY, and when its
 * connection is cut it reports that too (so the cache is dropped), stops counting as live, and
 * reconnects. It runs against the local PostgreSQL server whichever database the suite uses.
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

test('NOTIFY reaches the listener; a cut connection is reported and re-made', async () => {
  const channel = `roster_test_${process.pid}`;
  let events = 0;
  const listener = await listen({ url }, channel, () => events++);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    expect(listener.live).toBe(true);
    const before = events;
    await admin.query(`select pg_notify('${channel}', 'x')`);
    await until(() => events > before);

    const beforeCut = events;
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen ${channel}'`);
    await until(() => events > beforeCut);
    expect(listener.live).toBe(false);
    await until(() => listener.live);

    const afterReconnect = events;
    await admin.query(`select pg_notify('${channel}', 'y')`);
    await until(() => events > afterReconnect);
  } finally {
    await admin.end();
    await listener.close();
  }
});
