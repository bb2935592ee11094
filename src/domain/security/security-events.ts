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
  /** Refused handshakes from one address passed the limit: it is refused for a minute (CONFORMANCE 35). */
  handshakesThrottled: 'HandshakesThrottled',
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

/**
 * Failed handshakes counted per address (CONFORMANCE 35): past `limit` in `windowMs`, every handshake from that
 * address is refused until its window ends, so guessing passwords is slow; chargers at other addresses never notice.
 */
export class FailedHandshakeThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();
  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until this address may try again; 0 when it may now. */
  waitFor(address: string, nowMs: number): number {
    const entry = this.failures.get(address);
    if (!entry || nowMs - entry.since >= this.windowMs) return 0;
    return entry.count >= this.limit ? entry.since + this.windowMs - nowMs : 0;
  }

  /** A refused handshake from this address; true when it has just reached the limit. */
  failed(address: string, nowMs: number): boolean {
    let entry = this.failures.get(address);
    if (!entry || nowMs - entry.since >= this.windowMs) {
      // Bounded: addresses whose window ended go first; a flood from everywhere cannot grow this without end.
      if (this.failures.size >= 10_000) for (const [key, old] of this.failures) if (nowMs - old.since >= this.windowMs) this.failures.delete(key);
      if (this.failures.size >= 10_000) this.failures.clear();
      entry = { since: nowMs, count: 0 };
      this.failures.set(address, entry);
    }
    entry.count += 1;
    return entry.count === this.limit;
  }
}
