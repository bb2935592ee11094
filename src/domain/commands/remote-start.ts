// Remote start (PRODUCT.md): the tag is checked first, as a charger that authorizes remote starts would,
// and asked of the operator's authorizer; a start request is recorded before the charger is asked, so the
// app holds a handle that ends Started (with the transaction id), Failed or TimedOut.
import { randomInt, randomUUID } from 'node:crypto';
import type { AuthorizationService } from '../authorization/authorization-service.js';
import type { ChargePointRepository, ChargerGateway, Clock, StartRequestRecord, StartRequestRepository } from '../ports.js';
import { requireAcceptedRegistration } from './errors.js';

export interface RemoteStartInput {
  chargePointId: string;
  idTag: string;
  connectorId?: number;
  evseId?: number;
  idTokenType?: string;
}

export interface RemoteStartAnswer {
  status: 'Accepted' | 'Rejected';
  startRequestId: string;
  /** Why it was rejected, in words. */
  detail?: string;
}

export interface RemoteStartDeps {
  gateway: ChargerGateway;
  /** Whose registration is read: a charger whose boot is not accepted is sent no remote start. */
  chargePoints: Pick<ChargePointRepository, 'get'>;
  authorization: AuthorizationService;
  startRequests: StartRequestRepository;
  clock: Clock;
  /** How long a started request waits for the charger's StartTransaction (its ConnectionTimeOut). */
  startTimeoutMs: number;
}

export class RemoteStarts {
  /** Chargers that may have a Pending request: only their StartTransactions are looked up. */
  private readonly pendingChargers = new Set<string>();

  constructor(private readonly deps: RemoteStartDeps) {}

  async load(): Promise<void> {
    for (const id of await this.deps.startRequests.chargersWithPending(this.deps.clock.now().toISOString())) this.pendingChargers.add(id);
  }

  /** Rejects with ChargerNotAcceptedError, before anything is decided or recorded, for a charger whose boot is not accepted. */
  async start(input: RemoteStartInput): Promise<RemoteStartAnswer> {
    await requireAcceptedRegistration(this.deps.chargePoints, input.chargePointId, 'remote start');
    const now = this.deps.clock.now();
    const decision = await this.deps.authorization.decide({
      chargePointId: input.chargePointId,
      connectorId: input.connectorId ?? null,
      idTag: input.idTag,
      reason: 'RemoteStart',
    });
    const record: StartRequestRecord = {
      id: randomUUID(),
      chargePointId: input.chargePointId,
      connectorId: input.connectorId ?? null,
      idTag: input.idTag,
      status: 'Pending',
      transactionId: null,
      detail: null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.deps.startTimeoutMs).toISOString(),
      updatedAt: now.toISOString(),
      remoteStartId: randomInt(1, 2_147_483_647),
      evseId: input.evseId ?? null,
      idTokenType: input.idTokenType ?? null,
    };
    if (decision.info.status !== 'Accepted') {
      // Refused here, so nothing is sent: the charger would refuse it too (CONFORMANCE 43).
      const detail = `ID tag ${input.idTag} is ${decision.info.status}`;
      await this.deps.startRequests.create({ ...record, status: 'Failed', detail });
      return { status: 'Rejected', startRequestId: record.id, detail };
    }
    await this.deps.startRequests.create(record);
    this.pendingChargers.add(input.chargePointId);
    let answer: { accepted: boolean; status: string };
    try {
      answer = await this.deps.gateway.send(input.chargePointId, {
        kind: 'startSession',
        idTag: input.idTag,
        idTokenType: record.idTokenType,
        evseId: record.evseId,
        connectorId: record.connectorId,
        remoteStartId: record.remoteStartId!,
      });
    } catch (error) {
      await this.deps.startRequests.settle(record.id, { status: 'Failed', detail: error instanceof Error ? error.message : String(error), at: this.deps.clock.now().toISOString() });
      throw error;
    }
    if (answer.accepted) return { status: 'Accepted', startRequestId: record.id };
    const detail = `charge point answered ${answer.status}`;
    await this.deps.startRequests.settle(record.id, { status: 'Failed', detail, at: this.deps.clock.now().toISOString() });
    return { status: 'Rejected', startRequestId: record.id, detail };
  }

  /** A request as the app sees it: a Pending one past its time is TimedOut. */
  async get(id: string): Promise<StartRequestRecord | null> {
    const record = await this.deps.startRequests.get(id);
    if (!record || record.status !== 'Pending') return record;
    const now = this.deps.clock.now().toISOString();
    if (record.expiresAt > now) return record;
    await this.deps.startRequests.settle(id, { status: 'TimedOut', detail: 'no session started in time', at: now });
    return { ...record, status: 'TimedOut', detail: 'no session started in time', updatedAt: now };
  }

  /** Called for every recorded StartTransaction: the one a remote start asked for makes it Started. */
  /** `remoteStartId`: the request's own number, when the charger echoes it (2.x). */
  async transactionStarted(input: { chargePointId: string; connectorId: number; idTag: string; transactionId: number; remoteStartId?: number | null }): Promise<void> {
    if (!this.pendingChargers.has(input.chargePointId)) return;
    const at = this.deps.clock.now().toISOString();
    const matched = await this.deps.startRequests.matchStart({ ...input, at });
    if (!matched && !(await this.deps.startRequests.chargersWithPending(at)).includes(input.chargePointId)) {
      this.pendingChargers.delete(input.chargePointId);
    }
  }
}
