// What the CSMS acknowledged to the simulated chargers: every StartTransaction, StopTransaction and
// meter value (2.0.1: every TransactionEvent and its meter values) that got a CALLRESULT. An acknowledgement is
// a promise that the row is committed, so after a fault run each of these must be found in the database
// (verify-ledger.ts). Kept small: times as epoch milliseconds, charger ids shared with the chargers, one entry
// per sample. A 1.6 session is named by the id the CSMS answered; a 2.0.1 one by the station's own id string.

export interface AckedStart {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestampMs: number;
  /** 1.6: the id the CSMS answered; 2.0.1: null (the CSMS answers no id). */
  transactionId: number | null;
  /** 2.0.1: the station's transactionId. */
  chargerTransactionId?: string;
  /** 2.0.1: the EVSE (connectorId is then the EVSE's connector). */
  evseId?: number;
}

export interface AckedStop {
  chargePointId: string;
  transactionId: number | null;
  chargerTransactionId?: string;
  meterStop: number;
  timestampMs: number;
}

export interface AckedSample {
  chargePointId: string;
  connectorId: number;
  transactionId: number | null;
  /** 2.0.1: the station's transactionId (transactionId is then null). */
  chargerTransactionId?: string;
  timestampMs: number;
  measurand: string;
  /** As text, as the server stores it (2.0.1 sends a number). */
  value: string;
}

interface MeterValuePayload {
  timestamp: string;
  sampledValue: Array<{ value: string | number; measurand?: string; context?: string }>;
}

interface TransactionEventPayload {
  eventType: 'Started' | 'Updated' | 'Ended';
  timestamp: string;
  transactionInfo: { transactionId: string };
  evse?: { id: number; connectorId?: number };
  idToken?: { idToken: string };
  meterValue?: MeterValuePayload[];
}

// OCPP 1.6 §7.42: a sample without a measurand is an energy register reading; the server stores it so.
const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';

export class Ledger {
  readonly starts: AckedStart[] = [];
  readonly stops: AckedStop[] = [];
  readonly samples: AckedSample[] = [];

  /** Fed from the chargers' onAnswered: keeps the transaction messages, ignores the rest. */
  record(chargePointId: string, action: string, payload: unknown, answer: unknown): void {
    if (action === 'StartTransaction') {
      const p = payload as { connectorId: number; idTag: string; meterStart: number; timestamp: string };
      const a = answer as { transactionId: number };
      this.starts.push({
        chargePointId,
        connectorId: p.connectorId,
        idTag: p.idTag,
        meterStart: p.meterStart,
        timestampMs: Date.parse(p.timestamp),
        transactionId: a.transactionId,
      });
    } else if (action === 'StopTransaction') {
      const p = payload as { transactionId: number; meterStop: number; timestamp: string; transactionData?: MeterValuePayload[] };
      this.stops.push({ chargePointId, transactionId: p.transactionId, meterStop: p.meterStop, timestampMs: Date.parse(p.timestamp) });
      // transactionData becomes meter values of the session too; a stopped connector is not known here, so 0.
      this.addSamples(chargePointId, 0, p.transactionId, p.transactionData ?? []);
    } else if (action === 'MeterValues') {
      const p = payload as { connectorId: number; transactionId?: number; meterValue: MeterValuePayload[] };
      this.addSamples(chargePointId, p.connectorId, p.transactionId ?? null, p.meterValue);
    } else if (action === 'TransactionEvent') {
      this.recordTransactionEvent(chargePointId, payload as TransactionEventPayload);
    }
  }

  /**
   * 2.0.1: Started is the start (meter start its Transaction.Begin register reading), Ended the stop (meter stop
   * its Transaction.End reading); every event's meter values are samples of the session, as the CSMS stores them.
   */
  private recordTransactionEvent(chargePointId: string, p: TransactionEventPayload): void {
    const chargerTransactionId = p.transactionInfo.transactionId;
    const timestampMs = Date.parse(p.timestamp);
    const register = (context: string) =>
      p.meterValue?.flatMap((m) => m.sampledValue).find((v) => (v.measurand ?? DEFAULT_MEASURAND) === DEFAULT_MEASURAND && v.context === context)?.value;
    if (p.eventType === 'Started') {
      this.starts.push({
        chargePointId,
        connectorId: p.evse?.connectorId ?? 1,
        evseId: p.evse?.id,
        idTag: p.idToken?.idToken ?? '',
        meterStart: Number(register('Transaction.Begin') ?? Number.NaN),
        timestampMs,
        transactionId: null,
        chargerTransactionId,
      });
    } else if (p.eventType === 'Ended') {
      this.stops.push({ chargePointId, transactionId: null, chargerTransactionId, meterStop: Number(register('Transaction.End') ?? Number.NaN), timestampMs });
    }
    this.addSamples(chargePointId, p.evse?.connectorId ?? 1, null, p.meterValue ?? [], chargerTransactionId);
  }

  get size(): { starts: number; stops: number; samples: number } {
    return { starts: this.starts.length, stops: this.stops.length, samples: this.samples.length };
  }

  private addSamples(chargePointId: string, connectorId: number, transactionId: number | null, meterValues: MeterValuePayload[], chargerTransactionId?: string): void {
    for (const meterValue of meterValues) {
      const timestampMs = Date.parse(meterValue.timestamp);
      for (const sampled of meterValue.sampledValue) {
        const measurand = sampled.measurand ?? DEFAULT_MEASURAND;
        const sample: AckedSample = { chargePointId, connectorId, transactionId, timestampMs, measurand, value: String(sampled.value) };
        this.samples.push(chargerTransactionId === undefined ? sample : { ...sample, chargerTransactionId });
      }
    }
  }
}
