// Any CSMS-initiated call from the API (PRODUCT.md `POST …/ocpp/{action}`): the action must be one the
// charger's protocol lets the CSMS send, and the payload must match its official schema before it is sent. A remote
// start or stop goes to a charger whose boot is accepted only, by this route as by the remote-start/stop routes.
import type { ChargePointRepository, ChargerGateway, CommandLogRepository, CommandRecord, Page, PageQuery } from '../ports.js';
import { requireAcceptedRegistration } from './errors.js';

/** The protocol's outbound actions and schemas (implemented in ocpp/, handed in by server/). */
export interface OutboundSchemas {
  actions(protocol: string | null): readonly string[];
  /** Null when the payload matches the action's request schema, else what is wrong, naming the field. */
  check(protocol: string | null, action: string, payload: unknown): string | null;
  /** Whether the action starts or stops a session, which no charger is sent before its boot is accepted. */
  controlsSession(action: string): boolean;
}

/** The action is not one the CSMS may send to this charger: nothing was sent. */
export class UnknownCommandError extends Error {
  constructor(
    readonly action: string,
    readonly allowed: readonly string[],
  ) {
    super(`'${action}' is not an OCPP action the CSMS can send; one of: ${allowed.join(', ')}`);
    this.name = 'UnknownCommandError';
  }
}

/** The payload does not match the action's request schema: nothing was sent. */
export class InvalidCommandPayloadError extends Error {
  constructor(
    readonly action: string,
    detail: string,
  ) {
    super(`${action} payload: ${detail}`);
    this.name = 'InvalidCommandPayloadError';
  }
}

export class ChargerCommands {
  constructor(
    private readonly deps: { gateway: ChargerGateway; schemas: OutboundSchemas; log: Pick<CommandLogRepository, 'list'>; chargePoints: Pick<ChargePointRepository, 'get'> },
  ) {}

  /**
   * Resolves with the charger's answer; rejects with the errors above or the gateway's (domain/commands/errors.ts),
   * ChargerNotAcceptedError for a remote start or stop to a charger whose boot is not accepted.
   */
  async send(chargePointId: string, action: string, payload: unknown): Promise<unknown> {
    const protocol = this.deps.gateway.protocolOf(chargePointId);
    const allowed = this.deps.schemas.actions(protocol);
    if (!allowed.includes(action)) throw new UnknownCommandError(action, allowed);
    const problem = this.deps.schemas.check(protocol, action, payload);
    if (problem) throw new InvalidCommandPayloadError(action, problem);
    if (this.deps.schemas.controlsSession(action)) await requireAcceptedRegistration(this.deps.chargePoints, chargePointId, action);
    return this.deps.gateway.send(chargePointId, { kind: 'message', action, payload });
  }

  history(chargePointId: string, query: PageQuery): Promise<Page<CommandRecord>> {
    return this.deps.log.list(chargePointId, query);
  }
}
