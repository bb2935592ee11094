// The OCPP 1.6 security extension (Security Whitepaper, edition 3), charger-initiated: security events are kept and
// announced (CONFORMANCE 33: never NotImplemented); log and signed-firmware status reports are kept as messages; a CSR
// is refused while Voltgate signs no certificates (it never signs one with a key of its own making).
import { recordSecurityEvent } from '../../domain/security/security-events.js';
import type { V16Deps, V16Handlers } from './handlers.js';

export function securityHandlers(deps: V16Deps): V16Handlers {
  const noted = (action: string) => async (req: object, ctx: { identity: string }) => {
    await deps.messages?.record({ chargePointId: ctx.identity, action, payload: req, receivedAt: deps.clock.now().toISOString() });
    return {};
  };
  return {
    SecurityEventNotification: async (req, ctx) => {
      if (deps.securityEvents) {
        await recordSecurityEvent({ securityEvents: deps.securityEvents, events: deps.events, clock: deps.clock }, { chargePointId: ctx.identity, type: req.type, techInfo: req.techInfo ?? null, source: 'charger', occurredAt: req.timestamp });
      }
      return {};
    },
    LogStatusNotification: noted('LogStatusNotification'),
    SignedFirmwareStatusNotification: noted('SignedFirmwareStatusNotification'),
    SignCertificate: async (_req, ctx) => {
      await noted('SignCertificate')({}, ctx);
      return { status: 'Rejected' };
    },
  };
}
