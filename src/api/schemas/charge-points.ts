// The charger resource of PRODUCT.md "Operator and integrator side".
import { errorResponses, isoTime, nullableIsoTime, nullableString, pageOf, pageQueryProperties, bearerSecurity } from './common.js';

const registrationStatus = { type: 'string', enum: ['Accepted', 'Pending', 'Rejected'] } as const;

export const connectorSchema = {
  type: 'object',
  required: ['connectorId', 'status', 'errorCode', 'updatedAt'],
  properties: {
    evseId: { type: ['integer', 'null'], description: 'The EVSE the connector belongs to (OCPP 2.x); null where connectors stand alone (1.x)' },
    connectorId: { type: 'integer', description: '0 is the charger as a whole; in 2.x numbered within its EVSE' },
    status: { type: 'string', description: 'Last status the charger reported' },
    errorCode: { type: 'string' },
    updatedAt: isoTime,
  },
} as const;

export const chargePointSchema = {
  type: 'object',
  required: ['id', 'connected', 'protocol', 'vendor', 'model', 'serialNumber', 'firmwareVersion', 'registrationStatus', 'lastSeenAt', 'connectors'],
  properties: {
    id: { type: 'string', description: 'The charge point identity (last segment of its OCPP URL)' },
    connected: { type: 'boolean', description: 'Whether the charger holds an OCPP connection now' },
    protocol: { ...nullableString, description: 'The dialect it last spoke: a negotiated subprotocol (ocpp1.6, ocpp2.0.1), or ocpp1.5s / ocpp1.6s over SOAP' },
    soapEndpoint: { ...nullableString, description: "A SOAP charger's ChargePointService address, where commands go: the one it announced (wsa:From), or one set by hand" },
    vendor: nullableString,
    model: nullableString,
    serialNumber: nullableString,
    firmwareVersion: nullableString,
    registrationStatus,
    securityProfile: { type: 'integer', enum: [0, 1, 2, 3], description: 'OCPP security profile: at 2 it must connect over TLS (wss://) with its password, at 3 over TLS with a client certificate whose CN is its id' },
    pendingSecurityProfile: {
      type: ['integer', 'null'],
      enum: [2, 3, null],
      description: 'A higher profile the charger accepted (POST …/security-profile): enforced from its first connection at it; until then securityProfile is',
    },
    passwordChangePending: { type: 'boolean', description: 'A new password was sent and is not settled yet: the charger may connect with either (POST …/password)' },
    lastSeenAt: nullableIsoTime,
    connectors: { type: 'array', items: connectorSchema },
  },
} as const;

// Percent-encoded ids (RDAM%20123) arrive decoded by the router.
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 255, description: 'Charge point identity (percent-encoded in the URL)' } },
} as const;

const tags = ['charge-points'];

export const listChargePointsSchema = {
  tags,
  summary: 'List chargers',
  security: bearerSecurity,
  querystring: { type: 'object', properties: pageQueryProperties },
  response: { 200: pageOf(chargePointSchema, 'A page of chargers'), ...errorResponses(400, 401, 500) },
} as const;

export const getChargePointSchema = {
  tags,
  summary: 'Get one charger',
  security: bearerSecurity,
  params: idParams,
  response: { 200: { ...chargePointSchema, description: 'The charger' }, ...errorResponses(400, 401, 404, 500) },
} as const;

export const putChargePointSchema = {
  tags,
  summary: 'Register or update a charger',
  description: 'Fields left out keep their value (or their default for a new charger). An empty body registers the charger.',
  security: bearerSecurity,
  params: idParams,
  body: {
    type: 'object',
    properties: {
      registrationStatus,
      vendor: { type: ['string', 'null'], maxLength: 50 },
      model: { type: ['string', 'null'], maxLength: 50 },
      protocols: {
        type: ['array', 'null'],
        items: { type: 'string', enum: ['ocpp1.6', 'ocpp2.0.1'] },
        minItems: 1,
        uniqueItems: true,
        description: 'The dialects the charger may use: the newest of these it offers is chosen at the handshake. null (the default): any Voltgate speaks.',
      },
      soapEndpoint: {
        type: ['string', 'null'],
        format: 'uri',
        pattern: '^https?://',
        maxLength: 500,
        description: "A SOAP charger's ChargePointService address (http or https), for one that announces none; an address the charger announces replaces it. null forgets it.",
      },
      securityProfile: {
        type: 'integer',
        enum: [0, 1, 2, 3],
        description:
          'OCPP security profile (a new charger: 0). At 2 the charger must connect over TLS (wss://) with its password; at 3 over TLS with a client ' +
          'certificate from a CA of VOLTGATE_TLS_CA whose CN is its id. A connection never lowers it; lowering it here needs allowDowngrade.',
      },
      allowDowngrade: { type: 'boolean', description: 'Set to lower securityProfile: without it, a lower profile than the stored one is refused (409).' },
      password: {
        type: ['string', 'null'],
        minLength: 16,
        maxLength: 40,
        description:
          'Security profile 1: the password the charger must present with HTTP Basic auth (username: its id) to connect. ' +
          'Stored only as a salted hash, never returned. null removes it.',
      },
    },
  },
  response: { 200: { ...chargePointSchema, description: 'The charger as stored' }, ...errorResponses(400, 401, 409, 500) },
} as const;

export const deleteChargePointSchema = {
  tags,
  summary: 'Remove a charger',
  security: bearerSecurity,
  params: idParams,
  response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 404, 500) },
} as const;
