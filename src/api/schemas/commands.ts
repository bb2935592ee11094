// Any CSMS-initiated OCPP call and the per-charger command history (PRODUCT.md `POST …/ocpp/{action}`).
// The body is described generically here: it is checked against the official OCPP request schema of the
// action in the domain (domain/commands/send.ts), never against a copy.
import { chargePointIdParams, chargerCommandErrorResponses } from '../charger-commands.js';
import { bearerSecurity, errorResponses, isoTime, nullableString, pageOf, pageQueryProperties } from './common.js';

const tags = ['commands'];
const anyJson = {} as const;

export const sendCommandSchema = {
  tags,
  summary: 'Send an OCPP call to the charger',
  description:
    "The body is the call's OCPP payload (e.g. Reset: `{\"type\": \"Soft\"}`), validated against the official request schema of " +
    'the action for the charger\'s protocol before anything is sent. OCPP 1.6 actions: CancelReservation, ChangeAvailability, ' +
    'ChangeConfiguration, ClearCache, ClearChargingProfile, DataTransfer, GetCompositeSchedule, GetConfiguration, GetDiagnostics, ' +
    'GetLocalListVersion, RemoteStartTransaction, RemoteStopTransaction, ReserveNow, Reset, SendLocalList, SetChargingProfile, ' +
    'TriggerMessage, UnlockConnector, UpdateFirmware, and the security extension (CertificateSigned, DeleteCertificate, ' +
    'ExtendedTriggerMessage, GetInstalledCertificateIds, GetLog, InstallCertificate, SignedUpdateFirmware). For an OCPP 2.0.1 station, ' +
    'every CSMS-to-station message of 2.0.1 (Reset `{\"type\": \"Immediate\"}`, GetVariables, SetVariables, GetBaseReport, …). An unknown action is ' +
    '404 naming the allowed ones. A remote start or stop (RemoteStartTransaction, RemoteStopTransaction, RequestStartTransaction, ' +
    'RequestStopTransaction) to a charge point whose boot is not accepted (registration Pending or Rejected) is not sent: 409 ' +
    'charger_not_accepted. Every call and its answer is kept (GET …/commands).',
  security: bearerSecurity,
  params: {
    type: 'object',
    required: ['id', 'action'],
    properties: { ...chargePointIdParams.properties, action: { type: 'string', minLength: 1, maxLength: 64, description: 'The OCPP action, case-sensitive' } },
  },
  body: { type: 'object', description: 'The OCPP payload of the call', additionalProperties: true },
  response: {
    200: { type: 'object', description: "The charger's answer, as its CALLRESULT payload", additionalProperties: true },
    ...chargerCommandErrorResponses,
    404: { ...chargerCommandErrorResponses[404], description: 'No such charge point, or an action the CSMS cannot send' },
    409: {
      ...chargerCommandErrorResponses[409],
      description:
        'charger_not_connected: it holds no connection; not_supported_by_charger: it does not support what was asked; ' +
        'charger_not_accepted: a remote start or stop to a charge point whose boot is not accepted',
    },
  },
} as const;

export const commandSchema = {
  type: 'object',
  required: ['id', 'action', 'payload', 'answer', 'status', 'errorCode', 'errorMessage', 'requestedAt', 'answeredAt', 'durationMs'],
  properties: {
    id: { type: 'integer' },
    action: { type: 'string' },
    payload: { ...anyJson, description: 'The OCPP payload sent' },
    answer: { ...anyJson, description: "The charger's answer, or null when none came" },
    status: {
      type: 'string',
      enum: ['ok', 'rejected', 'error', 'timeout'],
      description: 'ok: answered; rejected: answered with a refusing status (Rejected, Failed, NotSupported, …); error: CALLERROR or no connection; timeout: no answer in time',
    },
    errorCode: { ...nullableString, description: 'The CALLERROR code, NotConnected, or Timeout' },
    errorMessage: nullableString,
    requestedAt: isoTime,
    answeredAt: { ...isoTime, description: 'When the answer, the error or the timeout came' },
    durationMs: { type: 'integer' },
  },
} as const;

export const listCommandsSchema = {
  tags,
  summary: "A charger's command history, newest first",
  security: bearerSecurity,
  params: chargePointIdParams,
  querystring: { type: 'object', properties: pageQueryProperties },
  response: { 200: pageOf(commandSchema, 'A page of commands, newest first'), ...errorResponses(400, 401, 404, 500) },
} as const;

export const chargerMessageSchema = {
  type: 'object',
  required: ['id', 'action', 'payload', 'receivedAt'],
  properties: {
    id: { type: 'integer' },
    action: { type: 'string', description: "The message's action in the charger's dialect (NotifyReport, NotifyEvent, DataTransfer, …)" },
    payload: { ...anyJson, description: 'The message as the charger sent it' },
    receivedAt: isoTime,
  },
} as const;

export const listChargerMessagesSchema = {
  tags,
  summary: "What a charger sent unasked that Voltgate keeps as it came, newest first",
  description:
    'Reports, events, firmware and log status, security events and vendor data: answered as the OCPP specification says and kept here, ' +
    'for the messages Voltgate gives no meaning of its own yet.',
  security: bearerSecurity,
  params: chargePointIdParams,
  querystring: { type: 'object', properties: pageQueryProperties },
  response: { 200: pageOf(chargerMessageSchema, 'A page of messages, newest first'), ...errorResponses(400, 401, 404, 500) },
} as const;
