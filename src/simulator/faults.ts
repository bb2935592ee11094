// The database faults `voltgate bench --fault` injects in the middle of a run, the ways PostgreSQL goes away
// in production: the server restarted, Voltgate's backends killed, the network to it stalled or refused.
// Each fault is prepared before the CSMS starts (a network fault needs the proxy in its DATABASE_URL) and
// reports when the database was back, which is where "service back after" is measured from.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { TcpProxy } from './tcp-proxy.js';

const run = promisify(execFile);

export const FAULT_KINDS = ['pg-restart', 'pg-terminate', 'net-cut', 'net-refuse'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  'pg-restart': 'pg_ctlcluster … restart -m fast of the local PostgreSQL cluster',
  'pg-terminate': 'pg_terminate_backend() of every backend connected to the bench database',
  'net-cut': 'the line to PostgreSQL stalls for --fault-duration s (a TCP proxy drops everything, closes nothing)',
  'net-refuse': 'every connection to PostgreSQL is cut and new ones refused for --fault-duration s',
};

export interface FaultOutcome {
  /** performance.now() when the database was back. */
  backAt: number;
  /** What "back" means for this fault, for the report. */
  back: string;
  detail: string;
  /** The fault command failed (the run then measured no fault, or a partial one). */
  error: string | null;
}

export interface PreparedFault {
  kind: FaultKind;
  /** The DATABASE_URL to give the CSMS: through the proxy for the network faults. */
  serverDatabaseUrl: string;
  /** Breaks the database and resolves once it is back. Never rejects. */
  inject(): Promise<FaultOutcome>;
  close(): Promise<void>;
}

export interface FaultTarget {
  /** The bench's own database on the PostgreSQL server. */
  databaseUrl: string;
  databaseName: string;
  /** The URL the bench was given (another database on the same server), for the admin connection. */
  adminUrl: string;
  /** How long the network faults last. */
  durationS: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const message = (error: unknown) => (error instanceof Error ? error.message.trim() : String(error));

/** Checks what the fault needs (throws in words when it cannot be done) and sets it up. */
export async function prepareFault(kind: FaultKind, target: FaultTarget): Promise<PreparedFault> {
  switch (kind) {
    case 'pg-restart':
      return prepareRestart(target);
    case 'pg-terminate':
      return prepareTerminate(target);
    case 'net-cut':
    case 'net-refuse':
      return prepareNetwork(kind, target);
  }
}

function prepareRestart(target: FaultTarget): PreparedFault {
  const host = new URL(target.databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`--fault pg-restart restarts the PostgreSQL cluster of this machine; --database-url points at ${host}`);
  }
  const versions = readdirSafe('/etc/postgresql');
  if (versions.length !== 1) {
    throw new Error(`--fault pg-restart needs exactly one PostgreSQL version in /etc/postgresql, found ${versions.length ? versions.join(', ') : 'none'}`);
  }
  const version = versions[0];
  const ctl = (action: string, ...extra: string[]) =>
    run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...extra], { timeout: 120_000 });
  return {
    kind: 'pg-restart',
    serverDatabaseUrl: target.databaseUrl,
    async inject() {
      const started = performance.now();
      // pg_ctlcluster returns a while after PostgreSQL accepts connections again: watch for that moment too.
      const probe = watchForReturn(target.databaseUrl);
      try {
        await ctl('restart', '-m', 'fast');
        const returned = performance.now();
        const acceptedAt = await probe.stop();
        const backAt = acceptedAt ?? returned;
        return {
          backAt,
          back: acceptedAt === null ? 'restart command returned' : `accepting connections again; the restart command returned ${((returned - acceptedAt) / 1000).toFixed(1)} s later`,
          detail: `PostgreSQL ${version}/main down and up again in ${((backAt - started) / 1000).toFixed(1)} s`,
          error: null,
        };
      } catch (error) {
        await probe.stop();
        // Never leave the machine's PostgreSQL down: other work here uses it.
        await ctl('start').catch(() => {});
        return { backAt: performance.now(), back: 'restart command failed; start attempted', detail: '', error: `pg_ctlcluster restart failed: ${message(error)}` };
      }
    },
    async close() {},
  };
}

/** Connects every 100 ms; resolves stop() with the first time a connection worked after one had failed (null: never seen down and up). */
function watchForReturn(databaseUrl: string): { stop(): Promise<number | null> } {
  let stopped = false;
  let sawDown = false;
  let backAt: number | null = null;
  const loop = (async () => {
    while (!stopped && backAt === null) {
      const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
        if (sawDown) backAt = performance.now();
      } catch {
        sawDown = true;
      } finally {
        await client.end().catch(() => {});
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return backAt;
    },
  };
}

async function prepareTerminate(target: FaultTarget): Promise<PreparedFault> {
  // Connected ahead of time (to the database the bench was given, so it is not among the backends it ends)
  // so the fault is one round trip, not a connection set-up.
  const connectAdmin = async () => {
    const client = new pg.Client({ connectionString: target.adminUrl, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {}); // the bench must not die of the fault it injects
    await client.connect();
    return client;
  };
  let admin: pg.Client | null = await connectAdmin();
  return {
    kind: 'pg-terminate',
    serverDatabaseUrl: target.databaseUrl,
    async inject() {
      try {
        admin ??= await connectAdmin();
        const result = await admin.query(
          'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [target.databaseName],
        );
        const ended = result.rows.filter((r: { ended: boolean }) => r.ended).length;
        return { backAt: performance.now(), back: 'terminate returned', detail: `${ended} of ${result.rowCount} backends of ${target.databaseName} terminated`, error: null };
      } catch (error) {
        await admin?.end().catch(() => {});
        admin = null;
        return { backAt: performance.now(), back: 'terminate failed', detail: '', error: `pg_terminate_backend failed: ${message(error)}` };
      }
    },
    async close() {
      await admin?.end().catch(() => {});
    },
  };
}

async function prepareNetwork(kind: 'net-cut' | 'net-refuse', target: FaultTarget): Promise<PreparedFault> {
  const url = new URL(target.databaseUrl);
  const proxy = await TcpProxy.start({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 5432) });
  return {
    kind,
    serverDatabaseUrl: proxy.url(target.databaseUrl),
    async inject() {
      const held = proxy.openConnections;
      let error: string | null = null;
      try {
        if (kind === 'net-cut') proxy.blackhole();
        else await proxy.refuse();
        await sleep(target.durationS * 1000);
      } catch (e) {
        error = `${kind} failed: ${message(e)}`;
      }
      try {
        await proxy.restore();
      } catch (e) {
        error ??= `the proxy could not be restored: ${message(e)}`;
      }
      const what = kind === 'net-cut' ? `line stalled for ${target.durationS} s (${held} connections held open)` : `${held} connections cut, new ones refused for ${target.durationS} s`;
      return { backAt: performance.now(), back: 'proxy restored', detail: what, error };
    },
    close: () => proxy.close(),
  };
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
