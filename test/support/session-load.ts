// Chargers running sessions back to back as real ones do through a back-office outage: a StartTransaction,
// MeterValues or StopTransaction that gets a CALLERROR or no answer is sent again, unchanged, until it is
// answered (OCPP 1.6 §3.7.1). Every answered one goes into a ledger, which verifyLedger() then finds through
// the REST API: each acknowledged start is one session, each acknowledged stop applied, each sample kept.
import assert from 'node:assert/strict';
import type { RpcConnection } from '../../src/ocpp/rpc/connection.js';

export interface Ledger {
  starts: Array<{ chargePointId: string; connectorId: number; meterStart: number; timestamp: string; transactionId: number }>;
  stops: Array<{ chargePointId: string; transactionId: number; meterStop: number; timestamp: string }>;
  samples: Array<{ chargePointId: string; transactionId: number; timestamp: string; value: string }>;
}

export interface LoadCounts {
  acknowledged: number;
  /** CALLERRORs by code, and calls with no answer in time. */
  errors: Record<string, number>;
  timeouts: number;
  /** ms since the epoch of the last acknowledged money-bearing message. */
  lastAckAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SessionLoad {
  readonly ledger: Ledger = { starts: [], stops: [], samples: [] };
  readonly counts: LoadCounts = { acknowledged: 0, errors: {}, timeouts: 0, lastAckAt: 0 };
  private stopping = false;
  private running: Promise<void>[] = [];
  private meter = 1000;

  constructor(
    private readonly chargers: Array<{ id: string; connection: RpcConnection }>,
    private readonly options: { idTag: string; meterValuesPerSession?: number; pauseMs?: number; retryMs?: number } = { idTag: 'LOAD' },
  ) {}

  start(): void {
    this.running = this.chargers.map((charger) => this.loop(charger));
  }

  /** Ends each charger's loop after its current session; its unanswered messages are sent until answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** Resolves once a money-bearing message was acknowledged after `since` (ms since the epoch). */
  async acknowledgedAfter(since: number, withinMs: number): Promise<number> {
    const deadline = Date.now() + withinMs;
    while (this.counts.lastAckAt <= since) {
      if (Date.now() > deadline) throw new Error(`no money-bearing message acknowledged within ${withinMs} ms`);
      await sleep(20);
    }
    return this.counts.lastAckAt - since;
  }

  private async loop(charger: { id: string; connection: RpcConnection }): Promise<void> {
    while (!this.stopping) {
      const timestamp = new Date().toISOString();
      const meterStart = (this.meter += 10);
      const started = (await this.send(charger.connection, 'StartTransaction', { connectorId: 1, idTag: this.options.idTag, meterStart, timestamp })) as { transactionId: number } | null;
      if (!started) return;
      this.ledger.starts.push({ chargePointId: charger.id, connectorId: 1, meterStart, timestamp, transactionId: started.transactionId });
      let meter = meterStart;
      for (let i = 0; i < (this.options.meterValuesPerSession ?? 3); i++) {
        meter += 100;
        const sample = { timestamp: new Date().toISOString(), value: String(meter) };
        const meterValue = [{ timestamp: sample.timestamp, sampledValue: [{ value: sample.value, measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }];
        if (!(await this.send(charger.connection, 'MeterValues', { connectorId: 1, transactionId: started.transactionId, meterValue }))) return;
        this.ledger.samples.push({ chargePointId: charger.id, transactionId: started.transactionId, ...sample });
      }
      const stop = { transactionId: started.transactionId, meterStop: meter + 50, timestamp: new Date().toISOString() };
      if (!(await this.send(charger.connection, 'StopTransaction', stop))) return;
      this.ledger.stops.push({ chargePointId: charger.id, ...stop });
      await sleep(this.options.pauseMs ?? 0);
    }
  }

  /** Sends until answered; null when the connection closed (the message stays unacknowledged). */
  private async send(connection: RpcConnection, action: string, payload: unknown): Promise<unknown> {
    for (;;) {
      try {
        const answer = await connection.call(action, payload);
        this.counts.acknowledged += 1;
        this.counts.lastAckAt = Date.now();
        return answer;
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'unknown';
        if (code === 'ConnectionClosed') return null;
        if (code === 'Timeout') this.counts.timeouts += 1;
        else this.counts.errors[code] = (this.counts.errors[code] ?? 0) + 1;
        await sleep(this.options.retryMs ?? 100);
      }
    }
  }
}

/**
 * Every acknowledged start is exactly one session, every acknowledged stop applied, every sample stored once.
 * `exact`: no other session either (a load that ran until every message was answered); a shutdown may leave
 * sessions that committed while their answer was cut off, which the charger resends after reconnecting.
 */
export async function verifyLedger(api: (path: string) => Promise<Response>, ledger: Ledger, chargePointIds: string[], exact = true): Promise<void> {
  const sessions = new Map<number, any>();
  for (const id of chargePointIds) {
    let cursor: string | null = null;
    do {
      const page = (await (await api(`/api/v1/transactions?chargePointId=${encodeURIComponent(id)}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json()) as any;
      for (const item of page.items) sessions.set(item.id, item);
      cursor = page.nextCursor;
    } while (cursor);
  }
  const acknowledgedIds = new Set(ledger.starts.map((s) => s.transactionId));
  assert.equal(acknowledgedIds.size, ledger.starts.length, 'two acknowledged starts got the same transaction id');
  // A start whose answer was lost to the fault and that was then sent again is the same session, not a second.
  if (exact) assert.equal(sessions.size, ledger.starts.length, `sessions stored ${sessions.size}, starts acknowledged ${ledger.starts.length}`);
  for (const start of ledger.starts) {
    const session = sessions.get(start.transactionId);
    assert.ok(session, `acknowledged start ${start.transactionId} is not stored`);
    assert.equal(session.chargePointId, start.chargePointId);
    assert.equal(session.meterStartWh, start.meterStart);
    assert.equal(Date.parse(session.startedAt), Date.parse(start.timestamp));
  }
  for (const stop of ledger.stops) {
    const session = sessions.get(stop.transactionId);
    assert.equal(session?.meterStopWh, stop.meterStop, `acknowledged stop of ${stop.transactionId} is not stored`);
    assert.equal(Date.parse(session.stoppedAt), Date.parse(stop.timestamp));
  }
  const byTransaction = new Map<number, typeof ledger.samples>();
  for (const sample of ledger.samples) byTransaction.set(sample.transactionId, [...(byTransaction.get(sample.transactionId) ?? []), sample]);
  for (const [transactionId, samples] of byTransaction) {
    const detail = (await (await api(`/api/v1/transactions/${transactionId}`)).json()) as any;
    const stored = detail.meterValues.filter((m: any) => m.measurand === 'Energy.Active.Import.Register');
    for (const sample of samples) {
      const found = stored.filter((m: any) => m.value === sample.value && Date.parse(m.timestamp) === Date.parse(sample.timestamp));
      assert.equal(found.length, 1, `acknowledged sample ${sample.value} of ${transactionId} stored ${found.length} times as read`);
    }
  }
}
