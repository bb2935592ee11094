// One simulated OCPP 1.6-J charger: a small state machine over the same RPC client the server uses.
// It boots, reports its connectors, runs sessions with meter values, and answers the CSMS's commands.
import { connectRpc } from '../ocpp/rpc/client.js';
import { createValidators } from '../ocpp/schemas/validators.js';
import type { RpcConnection } from '../ocpp/rpc/connection.js';
import { OutboundValidationError } from '../ocpp/rpc/errors.js';
import { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { describeFailure, type CallFailure } from './call-failure.js';
import { chargerCommandHandlers } from './charger-commands.js';
import type { ChargerProfile } from './profile.js';

/** The messages that carry money: a real charger keeps them until the CSMS acknowledges them (OCPP 1.6 §3.7.1, §4.10). */
export const TRANSACTION_MESSAGES: ReadonlySet<string> = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

export interface SimulatedChargerOptions {
  /** Base URL of the OCPP endpoint, e.g. ws://127.0.0.1:8080/ocpp; the charger id is appended. */
  url: string;
  id: string;
  profile: ChargerProfile;
  idTags: string[];
  /** Sessions to run before run() resolves; 0 runs until stop() is called. */
  sessions: number;
  /** Wall-clock pause between meter values (0 = as fast as the CSMS answers, for benchmarks). */
  meterIntervalMs: number;
  /** Pause between sessions. */
  idleMs: number;
  /** Meter values in the first session only (default: the profile's); a fleet varies it to put its chargers out of step. */
  firstSessionMeterValues?: number;
  /** Energy is computed as if this many seconds passed between meter values (default: the real pause, or 60 s without one). */
  simulatedIntervalS?: number;
  /** Reports the connector Charging during a session and Finishing, then Available, after it (default true). */
  reportsSessionStatus?: boolean;
  /** Called before every call: a rate limiter for open-loop benchmarks. */
  pace?: () => Promise<void>;
  /** Called after every call (every attempt of a resent one too) with its round-trip time, and why it failed. */
  onCall?: (action: string, latencyMs: number, ok: boolean, failure?: CallFailure) => void;
  /** Called with every CALLRESULT: what was sent and what the CSMS answered. */
  onAnswered?: (chargerId: string, action: string, payload: unknown, answer: unknown) => void;
  callTimeoutMs?: number;
  /**
   * Behave as a real charger when the CSMS cannot commit (default false): StartTransaction, StopTransaction and
   * MeterValues that get a CALLERROR or no answer are resent unchanged after a back-off until acknowledged or
   * stop() is called; a closed connection is reopened; other failures (Authorize, BootNotification,
   * StatusNotification) are not queued but do not end the session loop either.
   */
  retriesTransactionMessages?: boolean;
  backoff?: BackoffOptions;
}

/** Thrown out of a resend loop when the charger is stopped before the CSMS acknowledged the message. */
class StoppedError extends Error {
  constructor(action: string) {
    super(`stopped before ${action} was acknowledged`);
  }
}

export class SimulatedCharger {
  private connection: RpcConnection | null = null;
  private stopping = false;
  private meterWh = Math.floor(Math.random() * 1_000_000);
  private readonly active = new Map<number, { transactionId: number; idTag: string }>();
  private readonly remoteStarts: Array<{ connectorId: number; idTag: string }> = [];
  /** Wakes pauses early when stop() is called, so a stopped charger does not sit out its back-off. */
  private readonly wakers = new Set<() => void>();
  sessionsCompleted = 0;

  constructor(private readonly options: SimulatedChargerOptions) {}

  get id(): string {
    return this.options.id;
  }

  async connect(): Promise<void> {
    const { profile } = this.options;
    this.connection = await connectRpc({
      url: `${this.options.url}/${encodeURIComponent(this.options.id)}`,
      identity: this.options.id,
      protocols: profile.offersSubprotocol ? ['ocpp1.6'] : [],
      // Without a subprotocol the CSMS serves 1.6, so the charger validates as 1.6 all the same.
      validators: createValidators('ocpp1.6'),
      handlers: chargerCommandHandlers({ remoteStarts: this.remoteStarts, active: this.active }),
      callTimeoutMs: this.options.callTimeoutMs ?? 30_000,
    });
  }

  /** Boot (retrying while Pending or Rejected), then report every connector Available. */
  async boot(): Promise<void> {
    const { profile } = this.options;
    for (let attempt = 0; ; attempt++) {
      let answer: { status: string; interval: number };
      try {
        answer = (await this.call('BootNotification', {
          chargePointVendor: profile.vendor,
          chargePointModel: profile.model,
          firmwareVersion: profile.firmwareVersion,
          chargePointSerialNumber: `SN-${this.options.id}`.slice(0, 25),
        })) as { status: string; interval: number };
      } catch (error) {
        if (!this.resilient || this.stopping) throw error;
        await this.pause(this.backoff(attempt));
        await this.reconnectIfClosed().catch(() => {});
        continue;
      }
      if (answer.status === 'Accepted' || this.stopping) break;
      await this.pause(Math.min(answer.interval, 60) * 1000);
    }
    for (let connectorId = 0; connectorId <= profile.connectors; connectorId++) {
      await this.status(connectorId, 'Available');
    }
  }

  async run(): Promise<void> {
    if (!this.connection) await this.connect();
    try {
      await this.boot();
    } catch (error) {
      if (error instanceof StoppedError || (this.resilient && this.stopping)) return;
      throw error;
    }
    let n = 0;
    let failedInARow = 0;
    while (!this.stopping && (this.options.sessions === 0 || n < this.options.sessions)) {
      const remote = this.remoteStarts.shift();
      const idTag = remote?.idTag ?? this.options.idTags[n % this.options.idTags.length];
      const connectorId = remote?.connectorId ?? 1 + (n % this.options.profile.connectors);
      try {
        if (this.resilient) await this.reconnectIfClosed();
        await this.session(connectorId, idTag, !remote, n === 0 ? this.options.firstSessionMeterValues : undefined);
        failedInARow = 0;
      } catch (error) {
        if (error instanceof StoppedError) return;
        if (!this.resilient) throw error;
        // Authorize unanswered, or the CSMS unreachable: this driver goes away; the next one tries later.
        await this.pause(this.backoff(failedInARow++));
      }
      n++;
      await this.pause(this.options.idleMs);
    }
  }

  /** One charging session: Authorize (unless started remotely), StartTransaction, meter values, StopTransaction. */
  async session(connectorId: number, idTag: string, authorize = true, meterValues = this.options.profile.meterValuesPerSession): Promise<void> {
    const { profile } = this.options;
    if (authorize) {
      const auth = (await this.call('Authorize', { idTag })) as { idTagInfo: { status: string } };
      if (auth.idTagInfo.status !== 'Accepted') return;
    }
    const meterStart = this.meterWh;
    const start = (await this.callKept('StartTransaction', { connectorId, idTag, meterStart, timestamp: new Date().toISOString() })) as {
      transactionId: number;
      idTagInfo: { status: string };
    };
    const transactionId = start.transactionId;
    this.active.set(connectorId, { transactionId, idTag });
    const reportsStatus = this.options.reportsSessionStatus ?? true;
    if (reportsStatus && start.idTagInfo.status === 'Accepted') await this.status(connectorId, 'Charging');
    const transactionData: unknown[] = [];
    // Energy that fits the time that passes, so a session's average power is the power it reported.
    const intervalS = this.options.simulatedIntervalS ?? (this.options.meterIntervalMs > 0 ? this.options.meterIntervalMs / 1000 : 60);
    if (start.idTagInfo.status === 'Accepted') {
      for (let i = 0; i < meterValues && this.active.has(connectorId) && !this.stopping; i++) {
        await this.pause(this.options.meterIntervalMs);
        if (this.stopping) break;
        const powerW = Math.round(profile.maxPowerW * (0.6 + 0.4 * Math.random()));
        this.meterWh += Math.round((powerW * intervalS) / 3600);
        const meterValue = {
          timestamp: new Date().toISOString(),
          sampledValue: [
            { value: String(this.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
            { value: String(powerW), measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
          ],
        };
        if (profile.sendsTransactionData) transactionData.push(meterValue);
        await this.callKept('MeterValues', { connectorId, transactionId, meterValue: [meterValue] });
      }
    }
    const stillActive = this.active.get(connectorId)?.transactionId === transactionId;
    this.active.delete(connectorId);
    await this.callKept('StopTransaction', {
      transactionId,
      idTag,
      meterStop: this.meterWh,
      timestamp: new Date().toISOString(),
      reason: start.idTagInfo.status !== 'Accepted' ? 'DeAuthorized' : stillActive ? 'EVDisconnected' : 'Remote',
      ...(transactionData.length ? { transactionData } : {}),
    });
    if (reportsStatus) {
      await this.status(connectorId, 'Finishing');
      await this.status(connectorId, 'Available');
    }
    this.sessionsCompleted++;
  }

  async status(connectorId: number, status: string): Promise<void> {
    const sending = this.call('StatusNotification', { connectorId, status, errorCode: 'NoError', timestamp: new Date().toISOString() });
    // A status report lost to a fault is not worth abandoning a paid session for; a real charger moves on.
    await (this.resilient ? sending.catch(() => {}) : sending);
  }

  async call(action: string, payload: unknown): Promise<unknown> {
    if (!this.connection) throw new Error(`charger ${this.options.id} is not connected`);
    if (this.options.pace) await this.options.pace();
    const started = performance.now();
    try {
      const answer = await this.connection.call(action, payload);
      this.options.onCall?.(action, performance.now() - started, true);
      this.options.onAnswered?.(this.options.id, action, payload, answer);
      return answer;
    } catch (error) {
      this.options.onCall?.(action, performance.now() - started, false, describeFailure(error));
      throw error;
    }
  }

  /**
   * A transaction message: with retriesTransactionMessages, the same payload (same timestamp, same meter
   * reading) is resent after a growing pause until the CSMS acknowledges it or the charger is stopped.
   */
  private async callKept(action: string, payload: unknown): Promise<unknown> {
    if (!this.resilient) return this.call(action, payload);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.reconnectIfClosed();
        return await this.call(action, payload);
      } catch (error) {
        // Our own payload failing its schema will fail the same way every time: a bug, not a fault.
        if (error instanceof OutboundValidationError) throw error;
        if (this.stopping) throw new StoppedError(action);
        await this.pause(this.backoff(attempt));
        if (this.stopping) throw new StoppedError(action);
      }
    }
  }

  /** Opens a new connection when the last one closed (the CSMS restarted or dropped it); no new boot, as a real charger. */
  private async reconnectIfClosed(): Promise<void> {
    if (this.connection?.isOpen) return;
    await this.connect();
  }

  private get resilient(): boolean {
    return this.options.retriesTransactionMessages ?? false;
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
  }

  /** Sleeps, or less when stop() is called meanwhile. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  stop(): void {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
  }

  close(): void {
    this.stop();
    this.connection?.close(1000, 'simulator done').catch(() => {});
  }
}
