// The messages the Central System asked each charger for with TriggerMessage or ExtendedTriggerMessage: a charger
// whose boot is not accepted may send those (OCPP 1.6 §4.2 "unless requested by Central System"; 2.0.1 B02: a
// station Pending sends what the CSMS triggers; see v16/routes.ts, v201/routes.ts).
// Kept in memory for a short window. A trigger counts from the moment it is sent, not from its answer: the charger
// sends the message right after answering, and both can arrive in one read, the message handled before the answer
// settles our call. The charger's answer then decides: Accepted keeps it expected, anything else forgets it.
import type { Clock } from '../domain/ports.js';

/** How long a triggered message is awaited after the charger accepted the trigger. */
export const TRIGGERED_MESSAGE_WINDOW_MS = 60_000;

const TRIGGERS = new Set(['TriggerMessage', 'ExtendedTriggerMessage']);

/** The actions a charger answers a requestedMessage with, where they differ from its name (1.6 security whitepaper, 2.0.1). */
const SENT_AS: Readonly<Record<string, readonly string[]>> = {
  SignChargePointCertificate: ['SignCertificate'],
  SignChargingStationCertificate: ['SignCertificate'],
  SignV2GCertificate: ['SignCertificate'],
  SignCombinedCertificate: ['SignCertificate'],
  FirmwareStatusNotification: ['FirmwareStatusNotification', 'SignedFirmwareStatusNotification'],
};

/** Messages about one connector: asked for without a connectorId (1.6 §5.17; 2.0.1 names an EVSE instead), one may come for every connector. */
const PER_CONNECTOR = new Set(['StatusNotification', 'MeterValues']);

/** The call a transport makes, as server/gateway.ts's ChargerTransport has it. */
export interface CallingTransport {
  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
}

interface Expected {
  /** The actions that answer the trigger (one of them comes). */
  actions: readonly string[];
  untilMs: number;
  /** One message answers the trigger; false while every connector's may still come. */
  once: boolean;
}

export class TriggeredMessages {
  private readonly expected = new Map<string, Map<string, Expected>>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = TRIGGERED_MESSAGE_WINDOW_MS,
  ) {}

  /** The transport, with every TriggerMessage and ExtendedTriggerMessage through it noted here. */
  watch(transport: CallingTransport): CallingTransport {
    return {
      call: async (chargePointId, action, payload, options) => {
        const requested = TRIGGERS.has(action) ? (payload as { requestedMessage?: unknown; connectorId?: unknown } | null) : null;
        if (typeof requested?.requestedMessage !== 'string') return transport.call(chargePointId, action, payload, options);
        const entry: Expected = {
          actions: SENT_AS[requested.requestedMessage] ?? [requested.requestedMessage],
          untilMs: this.clock.now().getTime() + this.windowMs,
          once: !(PER_CONNECTOR.has(requested.requestedMessage) && requested.connectorId === undefined),
        };
        this.expect(chargePointId, entry);
        let answer: unknown;
        try {
          answer = await transport.call(chargePointId, action, payload, options);
        } catch (error) {
          this.forget(chargePointId, entry);
          throw error;
        }
        // Accepted: the window runs from now. A message already taken is not expected again.
        if ((answer as { status?: unknown } | null)?.status === 'Accepted') entry.untilMs = this.clock.now().getTime() + this.windowMs;
        else this.forget(chargePointId, entry);
        return answer;
      },
    };
  }

  /** Whether the charger was asked for this message lately; a message asked for once is expected no more. */
  take(chargePointId: string, action: string): boolean {
    const entry = this.expected.get(chargePointId)?.get(action);
    if (!entry) return false;
    const live = entry.untilMs > this.clock.now().getTime();
    if (!live || entry.once) this.forget(chargePointId, entry);
    return live;
  }

  private expect(chargePointId: string, entry: Expected): void {
    let byAction = this.expected.get(chargePointId);
    if (!byAction) this.expected.set(chargePointId, (byAction = new Map()));
    // Triggers whose message never came go with the charger's next one, so nothing outlives its window for long.
    const nowMs = this.clock.now().getTime();
    for (const [action, earlier] of byAction) if (earlier.untilMs <= nowMs) byAction.delete(action);
    for (const action of entry.actions) byAction.set(action, entry);
  }

  /** Drops this trigger's actions, not those a later trigger expects. */
  private forget(chargePointId: string, entry: Expected): void {
    const byAction = this.expected.get(chargePointId);
    if (!byAction) return;
    for (const action of entry.actions) if (byAction.get(action) === entry) byAction.delete(action);
    if (byAction.size === 0) this.expected.delete(chargePointId);
  }
}
