// What the CSMS acknowledged to the simulated chargers: every StartTransaction, StopTransaction and
// meter value that got a CALLRESULT. An acknowledgement is a promise that the row is committed, so after a
// fault run each of these must be found in the database (verify-ledger.ts).
// Kept small: times as epoch milliseconds, charger ids shared with the chargers, one entry per sample.

export interface AckedStart {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestampMs: number;
  /** The id the CSMS answered. */
  transactionId: number;
}

export interface AckedStop {
  chargePointId: string;
  transactionId: number;
  meterStop: number;
  timestampMs: number;
}

export interface AckedSample {
  chargePointId: string;
  connectorId: number;
  transactionId: number | null;
  timestampMs: number;
  measurand: string;
  value: string;
}

interface MeterValuePayload {
  timestamp: string;
  sampledValue: Array<{ value: string; measurand?: string }>;
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
    }
  }

  get size(): { starts: number; stops: number; samples: number } {
    return { starts: this.starts.length, stops: this.stops.length, samples: this.samples.length };
  }

  private addSamples(chargePointId: string, connectorId: number, transactionId: number | null, meterValues: MeterValuePayload[]): void {
    for (const meterValue of meterValues) {
      const timestampMs = Date.parse(meterValue.timestamp);
      for (const sampled of meterValue.sampledValue) {
        this.samples.push({ chargePointId, connectorId, transactionId, timestampMs, measurand: sampled.measurand ?? DEFAULT_MEASURAND, value: sampled.value });
      }
    }
  }
}
