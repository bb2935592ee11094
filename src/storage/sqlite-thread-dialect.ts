// Kysely over the SQLite thread (sqlite-thread.ts): the same SQL as Kysely's own SQLite dialect, each statement
// sent to the thread that owns the database and its answer awaited, so the event loop never waits on the disk.
// Every error of the file (a full disk, an I/O error, a lock held elsewhere) becomes StorageUnavailableError and
// is reported to StorageHealth; SQLite itself keeps the file intact through such an error.
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { asStorageFault, isUnavailabilityFault } from './faults.js';
import type { SqliteBatchStep, SqliteFailure, SqliteRequest, SqliteResponse, SqliteThreadOptions, ThreadRules } from './sqlite-thread-protocol.js';
import type { ThreadBatches } from './unit-of-work.js';

export interface SqliteThreadDialectOptions {
  file: string;
  health: { fault(error: unknown): void };
  rules: ThreadRules | null;
}

export class SqliteThreadDialect implements Dialect {
  private readonly driver: SqliteThreadDriver;
  constructor(options: SqliteThreadDialectOptions) {
    this.driver = new SqliteThreadDriver(options);
  }
  /** Group-commit batches that the thread runs itself, on the connection Kysely's statements use. */
  get batches(): ThreadBatches {
    return this.driver;
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return this.driver;
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

// A worker does not inherit tsx's loader on Node 20: the thread registers it before it loads its TypeScript module.
const THREAD_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => {
  tsx.register();
  return import(${JSON.stringify(new URL('./sqlite-thread.ts', import.meta.url).href)});
})`;

/** The thread, and the statements sent to it that wait for their answer (answered in the order sent). */
class SqliteThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(response: SqliteResponse): void; reject(error: unknown): void }>();
  private nextId = 1;
  private stopped: Error | null = null;
  private closing = false;

  constructor(options: SqliteThreadOptions) {
    this.worker = new Worker(THREAD_BOOTSTRAP, { eval: true, workerData: options });
    this.worker.on('message', (response: SqliteResponse) => {
      const waiter = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      // Idle, the thread must not keep the process alive; with a statement under way, or closing, it must.
      if (this.waiting.size === 0 && !this.closing) this.worker.unref();
      waiter?.resolve(response);
    });
    const stop = (error: Error) => {
      this.stopped ??= Object.assign(error, { storageUnavailable: true });
      for (const waiter of this.waiting.values()) waiter.reject(this.stopped);
      this.waiting.clear();
    };
    this.worker.on('error', stop);
    this.worker.on('exit', (code) => stop(new Error(`the SQLite thread stopped (exit code ${code})`)));
    this.worker.unref();
  }

  /** Messages sent, statements and steps (each has the next id). */
  get sent(): number {
    return this.nextId - 1;
  }

  execute(sql: string, parameters: readonly unknown[]): Promise<SqliteResponse> {
    return this.send({ sql, parameters });
  }

  step(step: SqliteBatchStep): Promise<SqliteResponse> {
    return this.send({ step });
  }

  private send(request: DistributiveOmit<SqliteRequest, 'id'>): Promise<SqliteResponse> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request } satisfies SqliteRequest);
    });
  }

  /** Closes the database (after the statements already sent) and ends the thread. */
  async close(): Promise<void> {
    if (this.stopped) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.closing = true;
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

class SqliteThreadDriver implements Driver, ThreadBatches {
  private thread: SqliteThread | null = null;
  private connection: SqliteThreadConnection | null = null;
  private readonly mutex = new ConnectionMutex();

  constructor(private readonly options: SqliteThreadDialectOptions) {}

  get messages(): number {
    return this.thread?.sent ?? 0;
  }

  async init(): Promise<void> {
    this.thread ??= new SqliteThread({ file: this.options.file, rulesModule: this.options.rules?.module ?? null });
    this.connection ??= new SqliteThreadConnection(this.thread, this.options.health);
  }

  /**
   * A batch as steps the thread runs itself, holding the connection throughout like a transaction. A script that
   * fails after its transaction began has it rolled back; the step that failed rolled back on its own.
   */
  async run<T>(script: (step: (step: SqliteBatchStep) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
    await this.init();
    await this.acquireConnection();
    const connection = this.connection!;
    let open = false;
    try {
      return await script(async (step) => {
        open ||= step.begin === true;
        const results = await connection.step(step);
        if (step.commit) open = false;
        return results;
      });
    } catch (error) {
      if (open) await connection.step({ rollback: true }).catch(() => {});
      throw error;
    } finally {
      await this.releaseConnection();
    }
  }

  // SQLite has one connection: a transaction holds it until it ends.
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection!;
  }
  // IMMEDIATE: the write lock is taken (or waited for, busy_timeout) at the start. A deferred transaction that
  // read first and writes later fails at once with SQLITE_BUSY when another process wrote in between, since its
  // statements now interleave with others' instead of running all within one turn of the event loop.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }
  async destroy(): Promise<void> {
    await this.thread?.close();
  }
}

class SqliteThreadConnection implements DatabaseConnection {
  constructor(
    private readonly thread: SqliteThread,
    private readonly health: { fault(error: unknown): void },
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const response = await this.answer(this.thread.execute(compiledQuery.sql, compiledQuery.parameters));
    if ('rows' in response) return { rows: response.rows as R[] };
    if ('changes' in response) return { numAffectedRows: BigInt(response.changes), insertId: BigInt(response.lastInsertRowid), rows: [] };
    throw new Error('the SQLite thread answered a statement with the results of a batch');
  }

  /** One step of a batch run by the thread: each named write's results. */
  async step(step: SqliteBatchStep): Promise<unknown[][]> {
    const response = await this.answer(this.thread.step(step));
    if ('results' in response) return response.results;
    throw new Error('the SQLite thread answered a batch step with the result of a statement');
  }

  private async answer(sent: Promise<SqliteResponse>): Promise<Exclude<SqliteResponse, { error: SqliteFailure }>> {
    let response: SqliteResponse;
    try {
      response = await sent;
    } catch (error) {
      throw this.fault(error);
    }
    if ('error' in response) throw this.fault(errorOf(response.error));
    return response;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite thread does not stream: read in pages');
  }

  private fault(error: unknown): unknown {
    if (isUnavailabilityFault('sqlite', error)) this.health.fault(error);
    return asStorageFault('sqlite', error);
  }
}

/** The thread's error as an Error of this one, with its SQLite code (what decides whether storage is away). */
function errorOf(failure: SqliteFailure): Error {
  return Object.assign(new Error(failure.message), { name: failure.name, ...(failure.code ? { code: failure.code } : {}) });
}

/** The one connection, handed to one waiter after another in arrival order (waking them all would be O(n²)). */
class ConnectionMutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}
