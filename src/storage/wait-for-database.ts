// Start-up against PostgreSQL: a database that is not reachable yet (still starting, restarting, the network
// not up) is waited for, with back-off and a bound, and said so in the log; a database that can never work
// as configured (wrong host, database, user or password) stops start-up at once with a message that names
// DATABASE_URL, without its password.
import { redactDatabaseUrl } from './db.js';
import { isUnavailabilityFault } from './faults.js';
import { queryOnce, type PgTimeouts } from './pg-pool.js';

/** Start-up cannot go on with this DATABASE_URL. `setting` names it for the message. */
export class DatabaseSettingError extends Error {
  readonly setting = 'DATABASE_URL';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseSettingError';
  }
}

export interface WaitLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** Waits between attempts: quick at first (a database restarting alongside), then every 5 s. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 5000];

/**
 * SQLSTATEs and socket codes that no amount of waiting fixes: a wrong password or unknown role (28P01, 28000),
 * a database that does not exist (3D000), a host name that does not resolve.
 */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code === '28P01' || code === '28000' || code === '3D000' || code === 'ENOTFOUND') return true;
  // Not a fault of the line or of a busy server (those are retried): a setting that is wrong, e.g. SSL.
  return !isUnavailabilityFault('postgres', error);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

export async function waitForDatabase(url: string, timeouts: PgTimeouts, options: { waitMs: number; log?: WaitLog; sleep?: (ms: number) => Promise<void> }): Promise<void> {
  const where = `DATABASE_URL (${redactDatabaseUrl(url)})`;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await queryOnce(url, timeouts, 'select 1');
      if (attempt > 0) options.log?.info({ storage: redactDatabaseUrl(url), waitedS: Math.round((Date.now() - started) / 1000) }, 'database reachable: starting');
      return;
    } catch (error) {
      if (isPermanent(error)) throw new DatabaseSettingError(`${where}: ${describe(error)}`, { cause: error });
      const waited = Date.now() - started;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      if (waited + delay > options.waitMs) {
        throw new DatabaseSettingError(`${where}: not reachable after ${Math.round(waited / 1000)} s (VOLTGATE_DB_WAIT_S=${Math.round(options.waitMs / 1000)}): ${describe(error)}`, { cause: error });
      }
      options.log?.warn(
        { storage: redactDatabaseUrl(url), reason: describe(error), retryInMs: delay, waitedS: Math.round(waited / 1000), waitUpToS: Math.round(options.waitMs / 1000) },
        'database not reachable yet: waiting for it',
      );
      await sleep(delay);
    }
  }
}
