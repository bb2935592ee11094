// The CSMS-initiated OCPP 1.6 actions (core profiles and the security extension) and their request
// schemas, for sending any of them from the API: the payload is checked before it leaves.
import type { OutboundSchemas } from '../../domain/commands/send.js';
import { createValidators } from '../schemas/validators.js';

/** CSMS → charge point in OCPP 1.6 (§5) and its security whitepaper; the rest of the schemas go the other way. */
export const CSMS_ACTIONS_V16 = [
  'CancelReservation', 'CertificateSigned', 'ChangeAvailability', 'ChangeConfiguration', 'ClearCache',
  'ClearChargingProfile', 'DataTransfer', 'DeleteCertificate', 'ExtendedTriggerMessage', 'GetCompositeSchedule',
  'GetConfiguration', 'GetDiagnostics', 'GetInstalledCertificateIds', 'GetLocalListVersion', 'GetLog',
  'InstallCertificate', 'RemoteStartTransaction', 'RemoteStopTransaction', 'ReserveNow', 'Reset', 'SendLocalList',
  'SetChargingProfile', 'SignedUpdateFirmware', 'TriggerMessage', 'UnlockConnector', 'UpdateFirmware',
] as const;

/** OCPP 1.6 only for now; a charger without a negotiated protocol speaks 1.6 (the server's default). */
export function outboundSchemas(): OutboundSchemas {
  const v16 = createValidators('ocpp1.6');
  const actions = CSMS_ACTIONS_V16.filter((action) => v16.knows(action));
  return {
    actions: () => actions,
    check: (_protocol, action, payload) => v16.validateRequest(action, payload)?.message ?? null,
  };
}
