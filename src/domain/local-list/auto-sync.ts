// The automatic Local Authorization List sync (setting localListSync): a whitelist change reaches every
// connected charger's list within seconds, with ClearCache after a tag lost its access (CONFORMANCE 51); a
// charger that boots or reconnects behind is brought up to date; a LocalListConflict gets the whole list
// again (CONFORMANCE 52, also when the setting is off, for a charger whose list Voltgate manages). Failures are
// logged and retried with back-off, a few chargers at a time: never a tight loop, never a stampede.
import { decideIdTag } from '../authorization/decide.js';
import type { IdTagChange } from '../authorization/id-tag-table.js';
import { ChargerCommandError, ChargerFeatureNotSupportedError, ChargerNotConnectedError } from '../commands/errors.js';
import type { ChargerSignals, Clock, Log, RegistrationStatus } from '../ports.js';
import type { LocalListSync } from './sync.js';

export interface LocalListAutoSyncOptions {
  /** The localListSync setting. Off: only LocalListConflict resyncs, and only lists Voltgate pushed before. */
  enabled: boolean;
  /** Whitelist changes within this window go out together. */
  debounceMs?: number;
  /** After a (re)connection, time for the charger's BootNotification to come first. */
  connectDelayMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Failures in a row after which a charger is left alone until the next change or reconnection. */
  maxAttempts?: number;
  /** Chargers synced at once. */
  concurrency?: number;
}

export interface LocalListAutoSyncDeps {
  sync: LocalListSync;
  /** Chargers connected to this process now. */
  connectedChargers(): string[];
  isConnected(chargePointId: string): boolean;
  /** Registration Accepted: a Pending charger gets no list. */
  isAccepted(chargePointId: string): boolean;
  clock: Clock;
  log: Log;
}

/** What a charger is owed. */
interface Owed {
  /** The whole list (a conflict, or a retry of a refused Full). */
  full: boolean;
  /** A Differential, when the charger's list differs from the whitelist. */
  differential: boolean;
  /** Ask GetLocalListVersion even when the stored entries match (after a boot: the charger may have lost its list). */
  verify: boolean;
  clearCache: boolean;
}

interface Work extends Owed {
  timer: NodeJS.Timeout | null;
  queued: boolean;
  running: boolean;
  attempts: number;
}

/** The charger answered SendLocalList with Failed or VersionMismatch, after the one fallback to a Full. */
class UpdateRefusedError extends Error {
  constructor(readonly status: string) {
    super(`SendLocalList answered ${status}`);
    this.name = 'UpdateRefusedError';
  }
}

const nothingOwed = (): Owed => ({ full: false, differential: false, verify: false, clearCache: false });
const owesAnything = (o: Owed) => o.full || o.differential || o.verify || o.clearCache;

export class LocalListAutoSync implements ChargerSignals {
  private readonly options: Required<LocalListAutoSyncOptions>;
  private readonly work = new Map<string, Work>();
  private readonly ready: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private whitelistTimer: NodeJS.Timeout | null = null;
  private cachesToClear = false;
  private stopped = false;

  constructor(
    private readonly deps: LocalListAutoSyncDeps,
    options: LocalListAutoSyncOptions,
  ) {
    this.options = {
      debounceMs: 1000,
      connectDelayMs: 1000,
      retryBaseMs: 2000,
      retryMaxMs: 5 * 60_000,
      maxAttempts: 10,
      concurrency: 4,
      ...options,
    };
  }

  /** IdTagTable.onChange listener. */
  readonly whitelistChanged = (changes: IdTagChange[]): void => {
    if (!this.options.enabled || this.stopped) return;
    const now = this.deps.clock.now();
    // A tag that lost its access may sit in chargers' caches as Accepted: those caches are cleared too.
    if (changes.some((c) => !c.after || decideIdTag(c.after, undefined, now).status !== 'Accepted')) this.cachesToClear = true;
    // A window from the first change, not a debounce reset by each: a steady stream of edits still goes out.
    this.whitelistTimer ??= setTimeout(() => {
      this.whitelistTimer = null;
      const clearCache = this.cachesToClear;
      this.cachesToClear = false;
      for (const id of this.deps.connectedChargers()) this.owe(id, { differential: true, clearCache }, 0);
    }, this.options.debounceMs);
  };

  /** A WebSocket connection was opened (a reconnect need not come with a BootNotification). */
  chargerConnected(chargePointId: string): void {
    if (!this.options.enabled) return;
    this.owe(chargePointId, { differential: true }, this.options.connectDelayMs);
  }

  booted(chargePointId: string, status: RegistrationStatus): void {
    if (!this.options.enabled || status !== 'Accepted') return;
    // After the BootNotification answer has left; a reboot may have emptied the list, so ask its version.
    this.owe(chargePointId, { differential: true, verify: true }, 0);
  }

  localListConflict(chargePointId: string): void {
    this.deps.log.warn({ chargePointId, alert: 'LocalListConflict' }, 'charger reports a local authorization list conflict: resending the whole list');
    if (this.options.enabled) {
      this.owe(chargePointId, { full: true }, 0);
      return;
    }
    this.deps.sync.state(chargePointId).then(
      (state) => {
        if (state.notSupported) return;
        if (state.listVersion === 0) {
          this.deps.log.warn({ chargePointId }, 'local list conflict not resolved: Voltgate has not pushed a list to this charger and localListSync is off');
          return;
        }
        this.owe(chargePointId, { full: true }, 0);
      },
      (error: unknown) => this.deps.log.error({ chargePointId, err: error }, 'could not read the local list state'),
    );
  }

  /** No new work is started; timers are cleared. */
  stop(): void {
    this.stopped = true;
    if (this.whitelistTimer) clearTimeout(this.whitelistTimer);
    this.whitelistTimer = null;
    for (const work of this.work.values()) if (work.timer) clearTimeout(work.timer);
    this.work.clear();
    this.ready.length = 0;
  }

  /** Resolves once the runs in progress have finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private owe(chargePointId: string, owed: Partial<Owed>, delayMs: number): void {
    if (this.stopped) return;
    let work = this.work.get(chargePointId);
    if (!work) {
      work = { ...nothingOwed(), timer: null, queued: false, running: false, attempts: 0 };
      this.work.set(chargePointId, work);
    }
    work.full ||= owed.full ?? false;
    work.differential ||= owed.differential ?? false;
    work.verify ||= owed.verify ?? false;
    work.clearCache ||= owed.clearCache ?? false;
    // A run in progress picks the rest up when it ends; a waiting back-off is kept (no loop around it).
    if (work.running || work.queued || work.timer) return;
    this.wait(chargePointId, work, delayMs);
  }

  private wait(chargePointId: string, work: Work, delayMs: number): void {
    work.timer = setTimeout(() => {
      work.timer = null;
      work.queued = true;
      this.ready.push(chargePointId);
      this.pump();
    }, delayMs);
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency && this.ready.length > 0) {
      const id = this.ready.shift()!;
      const work = this.work.get(id);
      if (!work) continue;
      work.queued = false;
      work.running = true;
      const run: Promise<void> = this.run(id, work).finally(() => {
        this.running.delete(run);
        work.running = false;
        if (!this.stopped && owesAnything(work) && !work.timer && !work.queued) this.wait(id, work, 0);
        else if (!owesAnything(work) && !work.timer) this.work.delete(id);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(chargePointId: string, work: Work): Promise<void> {
    const owed: Owed = { full: work.full, differential: work.differential, verify: work.verify, clearCache: work.clearCache };
    Object.assign(work, nothingOwed());
    const { sync, log } = this.deps;
    if (!this.deps.isConnected(chargePointId) || !this.deps.isAccepted(chargePointId)) return; // its reconnection brings it up to date
    try {
      if (owed.full || owed.differential || owed.verify) {
        const state = await sync.state(chargePointId);
        if (!state.notSupported && (owed.full || owed.verify || (await sync.isBehind(chargePointId)))) {
          const result = await sync.push(chargePointId, owed.full ? 'Full' : 'Differential', { onlyIfChanged: !owed.full });
          if (result.status !== 'Accepted' && result.status !== 'NotSupported') {
            throw new UpdateRefusedError(result.status);
          }
          if (result.messages > 0) log.info({ chargePointId, ...result }, 'local authorization list synced');
        }
        owed.full = owed.differential = owed.verify = false;
      }
      if (owed.clearCache) {
        const status = await sync.clearCache(chargePointId);
        if (status !== 'Accepted') log.warn({ chargePointId, status }, 'charger refused ClearCache');
        owed.clearCache = false;
      }
      work.attempts = 0;
    } catch (error) {
      if (error instanceof ChargerNotConnectedError || error instanceof ChargerFeatureNotSupportedError) return;
      work.attempts += 1;
      const err = error instanceof ChargerCommandError ? error.message : error;
      if (work.attempts >= this.options.maxAttempts) {
        log.error({ chargePointId, err, attempts: work.attempts, alert: 'LocalListSyncFailed' }, 'local list sync keeps failing: left until the next change or reconnection');
        return;
      }
      // Whatever was not done is owed again; a refused update is retried as a Full (CONFORMANCE 48).
      work.full ||= owed.full || (error instanceof UpdateRefusedError && (owed.differential || owed.verify));
      work.differential ||= owed.differential;
      work.verify ||= owed.verify;
      work.clearCache ||= owed.clearCache;
      const delayMs = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (work.attempts - 1));
      log.warn({ chargePointId, err, attempts: work.attempts, retryInMs: delayMs }, 'local list sync failed: retrying later');
      if (!this.stopped && !work.timer) this.wait(chargePointId, work, delayMs);
    }
  }
}
