// The CSMS-initiated OCPP 1.6 actions (core profiles and the security extension), for sending any of them
// from the API (ocpp/outbound.ts checks the payload against its schema before it leaves).

/** CSMS → charge point in OCPP 1.6 (§5) and its security whitepaper; the rest of the schemas go the other way. */
export const CSMS_ACTIONS_V16 = [
  'CancelReservation', 'CertificateSigned', 'ChangeAvailability', 'ChangeConfiguration', 'ClearCache',
  'ClearChargingProfile', 'DataTransfer', 'DeleteCertificate', 'ExtendedTriggerMessage', 'GetCompositeSchedule',
  'GetConfiguration', 'GetDiagnostics', 'GetInstalledCertificateIds', 'GetLocalListVersion', 'GetLog',
  'InstallCertificate', 'RemoteStartTransaction', 'RemoteStopTransaction', 'ReserveNow', 'Reset', 'SendLocalList',
  'SetChargingProfile', 'SignedUpdateFirmware', 'TriggerMessage', 'UnlockConnector', 'UpdateFirmware',
] as const;

/** Remote start and stop: not sent to a charger whose boot is not accepted (§4.2; CONFORMANCE 34). */
export const SESSION_CONTROL_V16 = ['RemoteStartTransaction', 'RemoteStopTransaction'] as const;
