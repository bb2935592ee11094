// The OCPP 1.6 security extension (Security Whitepaper, edition 3), charger-initiated: security events are kept and
// announced (CONFORMANCE 33: never NotImplemented); log and signed-firmware status reports are kept as messages; a CSR
// goes to the certificate signing (domain/security/certificate-signing.ts), Rejected when no signer is set.
import { securityEventNotification } from '../security-event.js';
import type { V16Deps, V16Handlers } from './handlers.js';

export function securityHandlers(deps: V16Deps): V16Handlers {
  const noted = (action: string) => async (req: object, ctx: { identity: string }) => {
    await deps.messages?.record({ chargePointId: ctx.identity, action, payload: req, receivedAt: deps.clock.now().toISOString() });
    return {};
  };
  return {
    SecurityEventNotification: securityEventNotification(deps),
    LogStatusNotification: noted('LogStatusNotification'),
    SignedFirmwareStatusNotification: noted('SignedFirmwareStatusNotification'),
    SignCertificate: async (req, ctx) => {
      await noted('SignCertificate')({}, ctx);
      return { status: deps.certificateSigning ? await deps.certificateSigning.answer(ctx.identity, req.csr) : 'Rejected' };
    },
  };
}
