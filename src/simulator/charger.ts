// One simulated OCPP 1.6-J charger: a small state machine over the same RPC client the server uses.
// It boots, reports its connectors, runs sessions with meter values, and answers the CSMS's commands.
import type { BackoffOptions } from './backoff.js';
import type { CallFailure } from './call-failure.js';
import { chargerCommandHandlers } from './charger-commands.js';
import { ChargerLink, type ChargerCredentials } from './charger-link.js';
import type { ChargerProfile } from './profile.js';
import { connectSoap, type SoapVersion } from './soap-link.js';

/**
 * The messages that carry money: a real charger keeps them until the CSMS acknowledges them (OCPP 1.6 §3.7.1,
 * §4.10; 2.0.1 E04, where TransactionEvent carries the whole session).
 */
export const TRANSACTION_MESSAGES: ReadonlySet<string> = new Set(['StartTransaction', 'StopTransaction', 'MeterValues', 'TransactionEvent']);

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
  /**
   * Reports the connector's status around a session (default true): 1.6 Charging during it and Finishing, then
   * Available, after it; 2.0.1 Occupied before it and Available after it.
   */
  reportsSessionStatus?: boolean;
  /** Called before every call: a rate limiter for open-loop benchmarks. */
  pace?: () => Promise<void>;
  /**
   * Called after every call (every attempt of a resent one too) with its round-trip time, why it failed, and
   * which kind of the action it was when one action has several (2.0.1: a TransactionEvent's eventType).
   */
  onCall?: (action: string, latencyMs: number, ok: boolean, failure?: CallFailure, variant?: string) => void;
  /** Called with every CALLRESULT: what was sent and what the CSMS answered. */
  onAnswered?: (chargerId: string, action: string, payload: unknown, answer: unknown) => void;
  callTimeoutMs?: number;
  /**
   * Behave as a real charger when the CSMS cannot commit (default false): StartTransaction, StopTransaction and
   * MeterValues (2.0.1: TransactionEvent, same seqNo and timestamp) that get a CALLERROR or no answer are resent
   * unchanged after a back-off until acknowledged or stop() is called; a closed connection is reopened; other
   * failures (Authorize, BootNotification, StatusNotification) are not queued but do not end the session loop either.
   */
  retriesTransactionMessages?: boolean;
  backoff?: BackoffOptions;
  /** Its password and TLS material (security profiles 1–3), for OCPP-J over WebSocket. */
  credentials?: ChargerCredentials;
  /** Speak OCPP 1.5 or 1.6 over SOAP: `url` is then the Central System service, e.g. http://host:port/soap/ocpp16. */
  soap?: SoapVersion;
}

export class SimulatedCharger {
  private readonly link: ChargerLink;
  private meterWh = Math.floor(Math.random() * 1_000_000);
  private readonly active = new Map<number, { transactionId: number; idTag: string }>();
  private readonly remoteStarts: Array<{ connectorId: number; idTag: string }> = [];
  sessionsCompleted = 0;

  constructor(private readonly options: SimulatedChargerOptions) {
    const handlers = chargerCommandHandlers({ remoteStarts: this.remoteStarts, active: this.active });
    const { soap } = options;
    this.link = new ChargerLink({
      ...options,
      protocol: 'ocpp1.6',
      // Without a subprotocol the CSMS serves 1.6, so the charger validates as 1.6 all the same.
      offers: options.profile.offersSubprotocol ? ['ocpp1.6'] : [],
      handlers,
      ...(soap ? { open: () => connectSoap({ url: options.url, id: options.id, version: soap, handlers, callTimeoutMs: options.callTimeoutMs ?? 30_000 }) } : {}),
    });
  }

  get id(): string {
    return this.options.id;
  }

  connect(): Promise<void> {
    return this.link.connect();
  }

  /** Boot (retrying while Pending or Rejected), then report every connector Available. */
  async boot(): Promise<void> {
    const { profile } = this.options;
    await this.link.bootUntilAccepted(
      async () =>
        (await this.call('BootNotification', {
          chargePointVendor: profile.vendor,
          chargePointModel: profile.model,
          firmwareVersion: profile.firmwareVersion,
          chargePointSerialNumber: `SN-${this.options.id}`.slice(0, 25),
        })) as { status: string; interval: number },
    );
    for (let connectorId = 0; connectorId <= profile.connectors; connectorId++) {
      await this.status(connectorId, 'Available');
    }
  }

  run(): Promise<void> {
    const { options } = this;
    return this.link.run(() => this.boot(), options.sessions, options.idleMs, (n) => {
      const remote = this.remoteStarts.shift();
      const idTag = remote?.idTag ?? options.idTags[n % options.idTags.length];
      const connectorId = remote?.connectorId ?? 1 + (n % options.profile.connectors);
      return this.session(connectorId, idTag, !remote, n === 0 ? options.firstSessionMeterValues : undefined);
    });
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
      for (let i = 0; i < meterValues && this.active.has(connectorId) && !this.link.stopping; i++) {
        await this.link.pause(this.options.meterIntervalMs);
        if (this.link.stopping) break;
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
    await (this.link.resilient ? sending.catch(() => {}) : sending);
  }

  call(action: string, payload: unknown): Promise<unknown> {
    return this.link.call(action, payload);
  }

  /** A transaction message, kept until acknowledged with retriesTransactionMessages (charger-link.ts). */
  private callKept(action: string, payload: unknown): Promise<unknown> {
    return this.link.callKept(action, payload);
  }

  stop(): void {
    this.link.stop();
  }

  close(): void {
    this.link.close();
  }
}
