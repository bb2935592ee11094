// One simulated OCPP 1.6-J charger: a small state machine over the same RPC client the server uses.
// It boots, reports its connectors, runs sessions with meter values, and answers the CSMS's commands.
import { connectRpc } from '../ocpp/rpc/client.js';
import { createValidators } from '../ocpp/schemas/validators.js';
import type { RpcConnection } from '../ocpp/rpc/connection.js';
import type { ChargerProfile } from './profile.js';

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
  /** Called after every call with its round-trip time. */
  onCall?: (action: string, latencyMs: number, ok: boolean) => void;
  callTimeoutMs?: number;
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

export class SimulatedCharger {
  private connection: RpcConnection | null = null;
  private stopping = false;
  private meterWh = Math.floor(Math.random() * 1_000_000);
  private readonly active = new Map<number, { transactionId: number; idTag: string }>();
  private remoteStarts: Array<{ connectorId: number; idTag: string }> = [];
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
      handlers: this.commandHandlers(),
      callTimeoutMs: this.options.callTimeoutMs ?? 30_000,
    });
  }

  /** Boot (retrying while Pending or Rejected), then report every connector Available. */
  async boot(): Promise<void> {
    const { profile } = this.options;
    for (;;) {
      const answer = (await this.call('BootNotification', {
        chargePointVendor: profile.vendor,
        chargePointModel: profile.model,
        firmwareVersion: profile.firmwareVersion,
        chargePointSerialNumber: `SN-${this.options.id}`.slice(0, 25),
      })) as { status: string; interval: number };
      if (answer.status === 'Accepted' || this.stopping) break;
      await sleep(Math.min(answer.interval, 60) * 1000);
    }
    for (let connectorId = 0; connectorId <= profile.connectors; connectorId++) {
      await this.status(connectorId, 'Available');
    }
  }

  async run(): Promise<void> {
    if (!this.connection) await this.connect();
    await this.boot();
    let n = 0;
    while (!this.stopping && (this.options.sessions === 0 || n < this.options.sessions)) {
      const remote = this.remoteStarts.shift();
      const idTag = remote?.idTag ?? this.options.idTags[n % this.options.idTags.length];
      const connectorId = remote?.connectorId ?? 1 + (n % this.options.profile.connectors);
      await this.session(connectorId, idTag, !remote, n === 0 ? this.options.firstSessionMeterValues : undefined);
      n++;
      await sleep(this.options.idleMs);
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
    const start = (await this.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: new Date().toISOString() })) as {
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
        await sleep(this.options.meterIntervalMs);
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
        await this.call('MeterValues', { connectorId, transactionId, meterValue: [meterValue] });
      }
    }
    const stillActive = this.active.get(connectorId)?.transactionId === transactionId;
    this.active.delete(connectorId);
    await this.call('StopTransaction', {
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
    await this.call('StatusNotification', { connectorId, status, errorCode: 'NoError', timestamp: new Date().toISOString() });
  }

  async call(action: string, payload: unknown): Promise<unknown> {
    if (!this.connection) throw new Error(`charger ${this.options.id} is not connected`);
    if (this.options.pace) await this.options.pace();
    const started = performance.now();
    try {
      const answer = await this.connection.call(action, payload);
      this.options.onCall?.(action, performance.now() - started, true);
      return answer;
    } catch (error) {
      this.options.onCall?.(action, performance.now() - started, false);
      throw error;
    }
  }

  stop(): void {
    this.stopping = true;
  }

  close(): void {
    this.stopping = true;
    this.connection?.close(1000, 'simulator done').catch(() => {});
  }

  /** Answers to the calls a CSMS sends: accept what a simple charger would. */
  private commandHandlers(): Record<string, (payload: any) => Promise<unknown>> {
    return {
      RemoteStartTransaction: async (req: { idTag: string; connectorId?: number }) => {
        this.remoteStarts.push({ idTag: req.idTag, connectorId: req.connectorId ?? 1 });
        return { status: 'Accepted' };
      },
      RemoteStopTransaction: async (req: { transactionId: number }) => {
        for (const [connectorId, session] of this.active) {
          if (session.transactionId === req.transactionId) {
            this.active.delete(connectorId);
            return { status: 'Accepted' };
          }
        }
        return { status: 'Rejected' };
      },
      Reset: async () => ({ status: 'Accepted' }),
      ClearCache: async () => ({ status: 'Accepted' }),
      ChangeAvailability: async () => ({ status: 'Accepted' }),
      ChangeConfiguration: async () => ({ status: 'Accepted' }),
      GetConfiguration: async () => ({
        configurationKey: [
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'LocalAuthListMaxLength', readonly: true, value: '1000' },
          { key: 'SendLocalListMaxLength', readonly: true, value: '100' },
        ],
        unknownKey: [],
      }),
      GetLocalListVersion: async () => ({ listVersion: 0 }),
      SendLocalList: async () => ({ status: 'Accepted' }),
      UnlockConnector: async () => ({ status: 'Unlocked' }),
      TriggerMessage: async () => ({ status: 'Accepted' }),
      DataTransfer: async () => ({ status: 'UnknownVendorId' }),
    };
  }
}
