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
    await until(() => listener.live && listener.reconnects === 1);

    const afterReconnect = events;
    await admin.query(`select pg_notify('${channel}', 'y')`);
    await until(() => events > afterReconnect);
  } finally {
    await admin.end();
    await listener.close();
  }
});

test('a connection that stops answering without closing is noticed by the heartbeat, reported and re-made', async () => {
  const channel = `roster_test_hb_${process.pid}`;
  const name = `roster-test-heartbeat-${process.pid}`;
  let events = 0;
  const listener = await listen({ url }, channel, () => events++, { name, heartbeatMs: 200, heartbeatTimeoutMs: 300 });
  const admin = new Client({ connectionString: url });
  await admin.connect();
  let frozen: number | undefined;
  try {
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [name]);
    frozen = rows[0]!.pid;
    // A stopped backend keeps its socket open and answers nothing: what a network partition looks like.
    process.kill(frozen, 'SIGSTOP');
    const before = events;
    await until(() => events > before, 5000);
    await until(() => listener.live && listener.reconnects === 1, 5000);
    const again = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1 and pid <> $2', [name, frozen]);
    expect(again.rows).toHaveLength(1);

    const afterReconnect = events;
    await admin.query(`select pg_notify('${channel}', 'z')`);
    await until(() => events > afterReconnect);
  } finally {
    if (frozen) {
      process.kill(frozen, 'SIGCONT');
      await admin.query('select pg_terminate_backend($1)', [frozen]);
    }
    await admin.end();
    await listener.close();
  }
});
