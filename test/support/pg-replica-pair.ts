import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A PostgreSQL primary and a streaming replica of it, made as two throwaway clusters of the
 * machine's PostgreSQL on spare ports (Debian's pg_createcluster and pg_basebackup, as root,
 * without systemd), for tests that need real replication. The machine's own cluster is left alone.
 */
export interface ReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  /** clusters made by this pair: `<version>/<name>` */
  clusters: string[];
  stopReplica(): void;
  startReplica(): Promise<void>;
  /** Drops both clusters; safe to call twice. */
  teardown(): void;
}

const PREFIX = 'roster_so_';

/** Why this machine cannot make clusters, or undefined when it can. */
export function replicaPairUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'making PostgreSQL clusters needs root';
  for (const tool of ['pg_createcluster', 'pg_basebackup', 'pg_ctlcluster', 'pg_dropcluster']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (Debian's postgresql-common)`;
    }
  }
  return undefined;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

function version(): string {
  const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v));
  return versions.sort((a, b) => Number(a) - Number(b)).at(-1)!;
}

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function drop(ver: string, name: string): void {
  try {
    run('pg_dropcluster', ['--stop', ver, name]);
  } catch {
    // not there (any more)
  }
  rmSync(`/etc/postgresql/${ver}/${name}`, { recursive: true, force: true });
  rmSync(`/var/lib/postgresql/${ver}/${name}`, { recursive: true, force: true });
  rmSync(`/var/log/postgresql/postgresql-${ver}-${name}.log`, { force: true });
}

/** Clusters a crashed earlier run left behind (its process is gone). */
function dropLeftovers(ver: string): void {
  if (!existsSync(`/etc/postgresql/${ver}`)) return;
  for (const name of readdirSync(`/etc/postgresql/${ver}`)) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)_`).exec(name)?.[1]);
    if (!pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) drop(ver, name);
  }
}

function configure(ver: string, name: string): void {
  const dir = `/etc/postgresql/${ver}/${name}/conf.d`;
  mkdirSync(dir, { recursive: true });
  // Streaming replication on loopback; synchronous_commit stays on (turning it off makes the lag jump).
  writeFileSync(path.join(dir, 'roster-test.conf'), ["listen_addresses = '127.0.0.1'", 'wal_level = replica', 'max_wal_senders = 5', 'hot_standby = on', 'max_connections = 100', ''].join('\n'));
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** Makes the pair and a database `roster` on it; resolves once the replica streams. */
export async function createReplicaPair(): Promise<ReplicaPair> {
  const ver = version();
  dropLeftovers(ver);
  const tag = `${PREFIX}${process.pid}_${Date.now().toString(36)}`;
  const primary = `${tag}_p`;
  const replica = `${tag}_r`;
  const [pPort, rPort] = [await freePort(), await freePort()];
  const made: string[] = [];
  const pair: ReplicaPair = {
    primaryUrl: `postgres://postgres@127.0.0.1:${pPort}/roster`,
    replicaUrl: `postgres://postgres@127.0.0.1:${rPort}/roster`,
    clusters: made,
    stopReplica: () => run('pg_ctlcluster', ['--skip-systemctl-redirect', ver, replica, 'stop', '--', '-m', 'fast']),
    startReplica: async () => {
      run('pg_ctlcluster', ['--skip-systemctl-redirect', ver, replica, 'start']);
      await waitFor(
        'the replica to stream again',
        async () => (await query(`postgres://postgres@127.0.0.1:${pPort}/postgres`, "select 1 from pg_stat_replication where state = 'streaming'")).length > 0,
      );
    },
    teardown: () => {
      for (const name of [replica, primary]) drop(ver, name);
    },
  };
  try {
    run('pg_createcluster', [ver, primary, '--port', String(pPort), '--', '--auth=trust', '--no-sync']);
    made.push(`${ver}/${primary}`);
    configure(ver, primary);
    run('pg_ctlcluster', ['--skip-systemctl-redirect', ver, primary, 'start']);
    const admin = `postgres://postgres@127.0.0.1:${pPort}/postgres`;
    await query(admin, 'create database roster');

    run('pg_createcluster', [ver, replica, '--port', String(rPort), '--', '--auth=trust', '--no-sync']);
    made.push(`${ver}/${replica}`);
    configure(ver, replica);
    // pg_basebackup wants an empty folder; the folder itself belongs to the cluster layout, so only its content goes.
    const data = `/var/lib/postgresql/${ver}/${replica}`;
    for (const entry of readdirSync(data)) rmSync(path.join(data, entry), { recursive: true, force: true });
    run('su', ['postgres', '-c', `pg_basebackup -h 127.0.0.1 -p ${pPort} -U postgres -D ${data} -R -X stream -c fast --no-sync`]);
    await pair.startReplica();
    return pair;
  } catch (err) {
    pair.teardown();
    throw err;
  }
}

/** Whether a cluster of that `<version>/<name>` still exists in any form (config, data, log, or listed). */
export function clusterLeftovers(cluster: string): string[] {
  const [ver, name] = cluster.split('/') as [string, string];
  const left = [`/etc/postgresql/${ver}/${name}`, `/var/lib/postgresql/${ver}/${name}`, `/var/log/postgresql/postgresql-${ver}-${name}.log`].filter((p) => existsSync(p));
  if (
    run('pg_lsclusters', ['--no-header'])
      .split('\n')
      .some((l) => l.split(/\s+/)[1] === name)
  )
    left.push(`pg_lsclusters lists ${name}`);
  return left;
}
