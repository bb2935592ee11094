// One simulated OCPP 2.0.1 charging station over the same RPC client the server uses, driven by the same
// options and profile as the 1.6 charger: it boots, reports its EVSEs (one connector each), runs sessions as
// TransactionEvent Started / Updated with meter values / Ended, and answers the CSMS's commands.
import { randomUUID } from 'node:crypto';
import type { Handler } from '../ocpp/rpc/connection.js';
import type {
  ConnectorStatusEnumType,
  IdTokenType,
  MessageTriggerEnumType,
  MeterValueType,
  ReadingContextEnumType,
  SampledValueType,
  TransactionEventRequest,
  TransactionEventResponse,
  V201Methods,
} from '../ocpp/schemas/generated/v201.js';
import type { SimulatedChargerOptions } from './charger.js';
import { ChargerLink } from './charger-link.js';
import { stationCommandHandlers, type RemoteStartV201 } from './station-v201-commands.js';

const energy = (wh: number, context: ReadingContextEnumType): SampledValueType => ({
  value: wh,
  measurand: 'Energy.Active.Import.Register',
  context,
  unitOfMeasure: { unit: 'Wh' },
});

const reading = (timestamp: string, ...sampledValue: [SampledValueType, ...SampledValueType[]]): [MeterValueType] => [{ timestamp, sampledValue }];

export class SimulatedStationV201 {
  private readonly link: ChargerLink;
  private meterWh = Math.floor(Math.random() * 1_000_000);
  private readonly active = new Map<number, { transactionId: string; stopRequested: boolean }>();
  private readonly remoteStarts: RemoteStartV201[] = [];
  private readonly unacknowledged = new Set<string>();
  private readonly connectorStatus = new Map<number, ConnectorStatusEnumType>();
  sessionsCompleted = 0;

  constructor(private readonly options: SimulatedChargerOptions) {
    const handlers = stationCommandHandlers({
      evses: options.profile.connectors,
      remoteStarts: this.remoteStarts,
      active: this.active,
      unacknowledged: this.unacknowledged,
      trigger: (message, evseId) => this.trigger(message, evseId),
    });
    this.link = new ChargerLink({
      ...options,
      protocol: 'ocpp2.0.1',
      // A 2.0.1 station must name its protocol: without one the CSMS serves 1.6 (the profile's flag is 1.6's).
      offers: ['ocpp2.0.1'],
      handlers: handlers as Readonly<Record<string, Handler>>,
    });
  }

  get id(): string {
    return this.options.id;
  }

  connect(): Promise<void> {
    return this.link.connect();
  }

  /** Boot (retrying while Pending or Rejected), then report every EVSE's connector Available. */
  async boot(): Promise<void> {
    await this.link.bootUntilAccepted(() => this.bootNotification('PowerUp'));
    for (let evseId = 1; evseId <= this.options.profile.connectors; evseId++) await this.status(evseId, 'Available');
  }

  private bootNotification(reason: 'PowerUp' | 'Triggered'): Promise<V201Methods['BootNotification']['response']> {
    const { profile } = this.options;
    return this.send('BootNotification', {
      reason,
      chargingStation: {
        model: profile.model.slice(0, 20),
        vendorName: profile.vendor.slice(0, 50),
        serialNumber: `SN-${this.options.id}`.slice(0, 25),
        firmwareVersion: profile.firmwareVersion.slice(0, 50),
      },
    });
  }

  run(): Promise<void> {
    const { options } = this;
    return this.link.run(() => this.boot(), options.sessions, options.idleMs, (n) => {
      const remote = this.remoteStarts.shift();
      const idToken: IdTokenType = remote?.idToken ?? { idToken: options.idTags[n % options.idTags.length], type: 'ISO14443' };
      const evseId = remote?.evseId ?? 1 + (n % options.profile.connectors);
      return this.session(evseId, idToken, remote?.remoteStartId, n === 0 ? options.firstSessionMeterValues : undefined);
    });
  }

  /**
   * One session: Authorize (unless started remotely), TransactionEvent Started, Updated per meter value, Ended.
   * A token the CSMS does not accept in its answer to Started ends the session at once.
   */
  async session(evseId: number, idToken: IdTokenType, remoteStartId?: number, meterValues = this.options.profile.meterValuesPerSession): Promise<void> {
    const { profile } = this.options;
    if (remoteStartId === undefined) {
      const auth = await this.send('Authorize', { idToken });
      if (auth.idTokenInfo.status !== 'Accepted') return;
    }
    const reportsStatus = this.options.reportsSessionStatus ?? true;
    if (reportsStatus) await this.status(evseId, 'Occupied');
    // The station names the transaction (2.0.1 E01): a UUID is 36 characters, the schema's limit.
    const transactionId = randomUUID();
    const session = { transactionId, stopRequested: false };
    this.active.set(evseId, session);
    let seqNo = 0;
    const startedAt = new Date().toISOString();
    const started = await this.transactionEvent({
      eventType: 'Started',
      timestamp: startedAt,
      triggerReason: remoteStartId === undefined ? 'Authorized' : 'RemoteStart',
      seqNo: seqNo++,
      transactionInfo: { transactionId, chargingState: 'Charging', ...(remoteStartId === undefined ? {} : { remoteStartId }) },
      evse: { id: evseId, connectorId: 1 },
      idToken,
      meterValue: reading(startedAt, energy(this.meterWh, 'Transaction.Begin')),
    });
    // Without idTokenInfo the CSMS raised no objection.
    const accepted = (started.idTokenInfo?.status ?? 'Accepted') === 'Accepted';
    // Energy that fits the time that passes, so a session's average power is the power it reported.
    const intervalS = this.options.simulatedIntervalS ?? (this.options.meterIntervalMs > 0 ? this.options.meterIntervalMs / 1000 : 60);
    for (let i = 0; accepted && i < meterValues && !session.stopRequested && !this.link.stopping; i++) {
      await this.link.pause(this.options.meterIntervalMs);
      if (this.link.stopping) break;
      const powerW = Math.round(profile.maxPowerW * (0.6 + 0.4 * Math.random()));
      this.meterWh += Math.round((powerW * intervalS) / 3600);
      const timestamp = new Date().toISOString();
      await this.transactionEvent({
        eventType: 'Updated',
        timestamp,
        triggerReason: 'MeterValuePeriodic',
        seqNo: seqNo++,
        transactionInfo: { transactionId },
        meterValue: reading(timestamp, energy(this.meterWh, 'Sample.Periodic'), {
          value: powerW,
          measurand: 'Power.Active.Import',
          context: 'Sample.Periodic',
          unitOfMeasure: { unit: 'W' },
        }),
      });
    }
    this.active.delete(evseId);
    const endedAt = new Date().toISOString();
    const [triggerReason, stoppedReason] = !accepted
      ? (['Deauthorized', 'DeAuthorized'] as const)
      : session.stopRequested
        ? (['RemoteStop', 'Remote'] as const)
        : (['EVCommunicationLost', 'EVDisconnected'] as const);
    await this.transactionEvent({
      eventType: 'Ended',
      timestamp: endedAt,
      triggerReason,
      seqNo: seqNo++,
      // Unplugged, nothing left to charge; stopped by the CSMS, the EV is still plugged in.
      transactionInfo: { transactionId, chargingState: stoppedReason === 'EVDisconnected' ? 'Idle' : 'EVConnected', stoppedReason },
      meterValue: reading(endedAt, energy(this.meterWh, 'Transaction.End')),
    });
    if (reportsStatus) await this.status(evseId, 'Available');
    this.sessionsCompleted++;
  }

  async status(evseId: number, connectorStatus: ConnectorStatusEnumType): Promise<void> {
    this.connectorStatus.set(evseId, connectorStatus);
    const sending = this.send('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus, evseId, connectorId: 1 });
    // A status report lost to a fault is not worth abandoning a paid session for; a real station moves on.
    await (this.link.resilient ? sending.catch(() => {}) : sending);
  }

  /** A typed CALL: a request with a wrong field does not compile. */
  private async send<A extends keyof V201Methods>(action: A, payload: V201Methods[A]['request']): Promise<V201Methods[A]['response']> {
    return (await this.link.call(action, payload)) as V201Methods[A]['response'];
  }

  /** Kept until acknowledged with retriesTransactionMessages: resent as built, same seqNo and timestamp. */
  private async transactionEvent(payload: TransactionEventRequest): Promise<TransactionEventResponse> {
    const { transactionId } = payload.transactionInfo;
    this.unacknowledged.add(transactionId);
    try {
      return (await this.link.callKept('TransactionEvent', payload, payload.eventType)) as TransactionEventResponse;
    } finally {
      this.unacknowledged.delete(transactionId);
    }
  }

  /** TriggerMessage: the messages this station can send again, sent once the answer has left; false for the rest. */
  private trigger(message: MessageTriggerEnumType, evseId?: number): boolean {
    const evses = evseId === undefined ? [...this.connectorStatus.keys()] : [evseId];
    let send: () => Promise<unknown>;
    if (message === 'Heartbeat') send = () => this.send('Heartbeat', {});
    else if (message === 'BootNotification') send = () => this.bootNotification('Triggered');
    else if (message === 'StatusNotification' && evses.every((id) => id >= 1 && id <= this.options.profile.connectors)) {
      send = async () => {
        for (const id of evses) await this.status(id, this.connectorStatus.get(id) ?? 'Available');
      };
    } else return false;
    setImmediate(() => send().catch(() => {}));
    return true;
  }

  stop(): void {
    this.link.stop();
  }

  close(): void {
    this.link.close();
  }
}
