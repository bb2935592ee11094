// Remote start and stop (PRODUCT.md), and the start-request handle an app polls until its session exists.
import { acceptedOrRejectedAnswer, chargePointIdParams, chargerCommandErrorResponses } from '../charger-commands.js';
import { bearerSecurity, errorResponses, isoTime, nullableString } from './common.js';

const tags = ['remote-control'];

/** A charger whose boot is not accepted is sent neither (OCPP 1.6 §4.2; CONFORMANCE 34). */
const notAcceptedConflict =
  'charger_not_accepted: the charge point\'s registration is Pending or Rejected, so nothing is sent until its boot is accepted; ' +
  'charger_not_connected: it holds no connection';

export const startRequestSchema = {
  type: 'object',
  required: ['id', 'chargePointId', 'connectorId', 'idTag', 'status', 'transactionId', 'detail', 'createdAt', 'expiresAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    chargePointId: { type: 'string' },
    connectorId: { type: ['integer', 'null'] },
    idTag: { type: 'string' },
    status: {
      type: 'string',
      enum: ['Pending', 'Started', 'Failed', 'TimedOut'],
      description: 'Pending until the StartTransaction it asked for arrives (Started), the tag or the charger refused (Failed), or none came in time (TimedOut)',
    },
    transactionId: { type: ['integer', 'null'], description: 'The session it started' },
    detail: { ...nullableString, description: 'Why it failed' },
    createdAt: isoTime,
    expiresAt: { ...isoTime, description: 'A Pending request becomes TimedOut after this' },
    updatedAt: isoTime,
  },
} as const;

export const remoteStartSchema = {
  tags,
  summary: 'Start a session remotely (RemoteStartTransaction)',
  description:
    'The ID tag is decided first, as a charger with AuthorizeRemoteTxRequests would (whitelist, or the operator authorizer): ' +
    'a tag that is not Accepted is answered Rejected and nothing is sent. The answer carries a startRequestId to poll with ' +
    'GET /api/v1/start-requests/{startRequestId} until the session exists. A charge point whose boot is not accepted (registration ' +
    'Pending or Rejected) is sent nothing: 409 charger_not_accepted.',
  security: bearerSecurity,
  params: chargePointIdParams,
  body: {
    type: 'object',
    required: ['idTag'],
    additionalProperties: false,
    properties: {
      idTag: { type: 'string', minLength: 1, maxLength: 36, description: 'The token: at most 20 characters for a 1.x charger, 36 for 2.x' },
      connectorId: { type: 'integer', minimum: 1, description: 'Left out: the charger chooses' },
      evseId: { type: 'integer', minimum: 1, description: 'OCPP 2.x: the EVSE to start on (for 1.x, the connector of that number)' },
      idTokenType: {
        type: 'string',
        enum: ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'],
        description: 'OCPP 2.x: the type of the token (default Central); ignored for 1.x',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      description: "The charger's answer (or Rejected when the tag was refused before sending)",
      required: ['status', 'startRequestId'],
      properties: {
        status: { type: 'string', enum: ['Accepted', 'Rejected'] },
        startRequestId: { type: 'string' },
        detail: { type: 'string', description: 'Why it was rejected' },
      },
    },
    ...chargerCommandErrorResponses,
    409: { ...chargerCommandErrorResponses[409], description: notAcceptedConflict },
  },
} as const;

export const remoteStopSchema = {
  tags,
  summary: 'Stop a session remotely (RemoteStopTransaction)',
  description:
    'Refused before anything is sent when the transaction is unknown (404), belongs to another charger or is already stopped (409), ' +
    'or when the charge point\'s boot is not accepted (registration Pending or Rejected: 409 charger_not_accepted).',
  security: bearerSecurity,
  params: chargePointIdParams,
  body: {
    type: 'object',
    required: ['transactionId'],
    additionalProperties: false,
    properties: { transactionId: { type: 'integer' } },
  },
  response: {
    200: acceptedOrRejectedAnswer,
    ...chargerCommandErrorResponses,
    409: { ...chargerCommandErrorResponses[409], description: `${notAcceptedConflict}; transaction_of_other_charger, transaction_stopped: the transaction cannot be stopped here` },
  },
} as const;

export const getStartRequestSchema = {
  tags,
  summary: 'What became of a remote start',
  security: bearerSecurity,
  params: { type: 'object', required: ['startRequestId'], properties: { startRequestId: { type: 'string', minLength: 1, maxLength: 64 } } },
  response: { 200: { ...startRequestSchema, description: 'The start request' }, ...errorResponses(400, 401, 404, 500) },
} as const;
