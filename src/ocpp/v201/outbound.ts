// The CSMS-initiated OCPP 2.0.1 actions (Part 2: every message the CSMS sends a station); the rest of the
// schemas go the other way.
export const CSMS_ACTIONS_V201 = [
  'CancelReservation', 'CertificateSigned', 'ChangeAvailability', 'ClearCache', 'ClearChargingProfile', 'ClearDisplayMessage',
  'ClearVariableMonitoring', 'CostUpdated', 'CustomerInformation', 'DataTransfer', 'DeleteCertificate', 'GetBaseReport',
  'GetChargingProfiles', 'GetCompositeSchedule', 'GetDisplayMessages', 'GetInstalledCertificateIds', 'GetLocalListVersion', 'GetLog',
  'GetMonitoringReport', 'GetReport', 'GetTransactionStatus', 'GetVariables', 'InstallCertificate', 'PublishFirmware',
  'RequestStartTransaction', 'RequestStopTransaction', 'ReserveNow', 'Reset', 'SendLocalList', 'SetChargingProfile', 'SetDisplayMessage',
  'SetMonitoringBase', 'SetMonitoringLevel', 'SetNetworkProfile', 'SetVariableMonitoring', 'SetVariables', 'TriggerMessage',
  'UnlockConnector', 'UnpublishFirmware', 'UpdateFirmware',
] as const;

/** Remote start and stop: not sent to a station whose boot is not accepted (B02; CONFORMANCE 34). */
export const SESSION_CONTROL_V201 = ['RequestStartTransaction', 'RequestStopTransaction'] as const;
