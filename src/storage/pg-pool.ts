// The PostgreSQL connection pool Kysely uses, made to live through the database going away:
// - every client has an 'error' listener, checked out or idle (node-postgres emits the error of a client that
//   is checked out on the client itself, and an unheard 'error' event ends the process: issue 9);
// - a client whose connection failed is released as broken, so the pool closes it instead of lending it again;
// - connection attempts, statements and idle sockets have timeouts and TCP keep-alive, so a line that drops
//   packets without closing is found out in seconds, never holding a charger's answer past its own timeout;
// - faults go to StorageHealth, which swaps in a fresh pool (the old one may hold only dead sockets) and
//   makes new work wait for, or fail fast on, its verdict.
import pg from 'pg';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { asStorageFault, isUnavailabilityFault } from './faults.js';

export interface PgTimeouts {
  /** A connection attempt, a statement (server and client side), and a wait for a free pooled connection. */
  statementTimeoutMs: number;
}

export interface FaultSink {
  readonly available: boolean;
  /** Resolves when storage may be used; throws StorageUnavailableError while it is down. */
  ready(): Promise<void>;
  fault(error: unknown): void;
}

const POOL_SIZE = 8;

/** node-postgres settings shared by the pool and the one-off connections (start-up, probes). */
export function clientConfig(connectionString: string, timeouts: PgTimeouts): pg.ClientConfig {
  return {
    connectionString,
    application_name: 'voltgate',
    connectionTimeoutMillis: timeouts.statementTimeoutMs,
    // The server cancels a statement past the limit; the client gives up a little later, for a server that
    // cannot even answer (packets dropped), and the connection is then closed (below).
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + 1000,
    // A transaction left open by a connection that vanished must not hold its row locks for long.
    idle_in_transaction_session_timeout: Math.max(timeouts.statementTimeoutMs * 2, 10_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

export class ResilientPgPool implements PostgresPool {
  private pool: pg.Pool;
  private readonly lent = new WeakMap<pg.PoolClient, { broken: Error | undefined; wrapper: PostgresPoolClient }>();

  constructor(
    private readonly connectionString: string,
    private readonly timeouts: PgTimeouts,
    private readonly health: FaultSink,
  ) {
    this.pool = this.createPool();
  }

  async connect(): Promise<PostgresPoolClient> {
    if (!this.health.available) await this.health.ready();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failed(error);
    }
    return this.lend(client);
  }

  /** Replaces the pool: new work gets new connections, the old pool closes its own as they come back. */
  renew(): void {
    const old = this.pool;
    this.pool = this.createPool();
    old.end().catch(() => {});
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private createPool(): pg.Pool {
    const pool = new pg.Pool({ ...clientConfig(this.connectionString, this.timeouts), max: POOL_SIZE, idleTimeoutMillis: 10_000 });
    // Idle clients: the pool removes a client whose connection died; the next statement finds out for itself.
    pool.on('error', () => {});
    // Checked-out clients: the statement on it fails and is reported through query(); the event itself must be heard.
    pool.on('connect', (client) => client.on('error', () => {}));
    return pool;
  }

  /**
   * The client as Kysely sees it. One wrapper per pooled client, reused at every checkout: Kysely keys its own
   * connection object by it, and a new pair per statement batch showed as garbage-collector time.
   */
  private lend(client: pg.PoolClient): PostgresPoolClient {
    const known = this.lent.get(client);
    if (known) {
      known.broken = undefined;
      return known.wrapper;
    }
    const entry: { broken: Error | undefined; wrapper: PostgresPoolClient } = { broken: undefined, wrapper: null as never };
    const query = async (sql: string, parameters: ReadonlyArray<unknown>) => {
      try {
        return (await client.query(sql, parameters as unknown[])) as unknown as PostgresQueryResult<unknown>;
      } catch (error) {
        if (isUnavailabilityFault('postgres', error)) entry.broken = error instanceof Error ? error : new Error(String(error));
        throw this.failed(error);
      }
    };
    entry.wrapper = {
      query: query as PostgresPoolClient['query'],
      // A broken client is closed by the pool, never lent again (a timed-out statement may still be running on it).
      release: () => client.release(entry.broken),
    };
    this.lent.set(client, entry);
    return entry.wrapper;
  }

  private failed(error: unknown): unknown {
    if (isUnavailabilityFault('postgres', error)) this.health.fault(error);
    return asStorageFault('postgres', error);
  }
}

/** One statement on a connection of its own, closed afterwards: start-up checks and health probes. */
export async function queryOnce(connectionString: string, timeouts: PgTimeouts, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client(clientConfig(connectionString, timeouts));
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.query(text, values);
  } finally {
    client.end().catch(() => {});
  }
}
