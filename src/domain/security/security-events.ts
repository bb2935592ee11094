// Security events (OCPP security profiles; CONFORMANCE 33): what a charger reports with SecurityEventNotification,
// and what Voltgate sees of it (a handshake refused for want of TLS, a password or a certificate), kept per charger
// and announced as charge_point.security_event.
import type { Clock, EventFactory, IsoTime, SecurityEventRecord, SecurityEventRepository } from '../ports.js';

export interface SecurityEventDeps {
  securityEvents: Pick<SecurityEventRepository, 'record'>;
  events?: EventFactory;
  clock: Clock;
}

export interface SecurityEventInput {
  chargePointId: string;
  type: string;
  techInfo: string | null;
  source: SecurityEventRecord['source'];
  /** The charger's own time for its events; Voltgate's: now. */
  occurredAt?: IsoTime;
}

export async function recordSecurityEvent(deps: SecurityEventDeps, input: SecurityEventInput): Promise<void> {
  const receivedAt = deps.clock.now().toISOString();
  const record = { chargePointId: input.chargePointId, type: input.type, techInfo: input.techInfo, source: input.source, occurredAt: input.occurredAt ?? receivedAt, receivedAt };
  const data = { chargePointId: record.chargePointId, type: record.type, techInfo: record.techInfo, source: record.source, occurredAt: record.occurredAt };
  await deps.securityEvents.record(record, deps.events ? [deps.events.create('charge_point.security_event', data)] : []);
}

/** Voltgate's own kinds of security event, beside the charger's (OCPP 2.0.1 Appendix 1 names those). */
export const VOLTGATE_SECURITY_EVENTS = {
  /** A charger at profile 2 or 3 came without TLS. */
  refusedWithoutTls: 'RefusedWithoutTls',
  /** A charger at profile 3 came without a valid client certificate of its own. */
  invalidClientCertificate: 'InvalidClientCertificate',
  /** A charger with a password came without it, or with a wrong one. */
  invalidPassword: 'InvalidPassword',
} as const;

/**
 * One event per charger and kind within `windowMs`: a charger retrying a refused handshake every few seconds,
 * or someone trying passwords, makes one row a minute, not one per attempt.
 */
export class SecurityEventThrottle {
  private readonly last = new Map<string, number>();
  constructor(private readonly windowMs = 60_000) {}

  admit(chargePointId: string, type: string, nowMs: number): boolean {
    const key = `${type}\u0000${chargePointId}`;
    const before = this.last.get(key);
    if (before !== undefined && nowMs - before < this.windowMs) return false;
    // Bounded: a flood of made-up identities cannot grow this without end.
    if (this.last.size >= 10_000) this.last.clear();
    this.last.set(key, nowMs);
    return true;
  }
}
