// Charging sessions of PRODUCT.md: list, detail with meter values, CSV export.
import { bearerSecurity, csvResponse, errorResponses, isoTime, nullableIsoTime, nullableString, pageOf, pageQueryProperties } from './common.js';

export const transactionSchema = {
  type: 'object',
  required: [
    'id', 'chargePointId', 'connectorId', 'evseId', 'chargerTransactionId', 'idTag', 'idTokenType', 'startedAt', 'stoppedAt', 'meterStartWh',
    'meterStopWh', 'energyWh', 'stopReason', 'status', 'flags', 'durationS', 'averagePowerW',
  ],
  properties: {
    id: { type: 'integer', description: "Voltgate's own id of the session: the transactionId a 1.x charger was given" },
    chargePointId: { type: 'string' },
    connectorId: { type: 'integer' },
    evseId: { type: ['integer', 'null'], description: 'The EVSE (OCPP 2.x); null for 1.x' },
    chargerTransactionId: { type: ['string', 'integer'], description: "What the charger calls the session: its own string in 2.x, the id in 1.x" },
    idTag: { type: 'string', description: "The session's token (a 2.x idToken); empty while a 2.x charger has presented none" },
    idTokenType: { type: ['string', 'null'], description: 'The type of a 2.x token (ISO14443, eMAID, …); null for 1.x' },
    startedAt: { ...isoTime, description: "The charger's start timestamp, UTC" },
    stoppedAt: nullableIsoTime,
    meterStartWh: { type: 'number' },
    meterStopWh: { type: ['number', 'null'] },
    energyWh: {
      type: ['number', 'null'],
      description:
        'meterStopWh − meterStartWh; when that cannot be right (the meter went backwards, or more than 1 MW on average over at least an hour) the ' +
        'last − first Energy.Active.Import.Register meter value, flagged energy-from-meter-values; null while active or when neither is believable',
    },
    stopReason: nullableString,
    status: { type: 'string', enum: ['Active', 'Completed'] },
    flags: { type: 'array', items: { type: 'string' }, description: 'Why the session needs a second look' },
    durationS: { type: ['number', 'null'], description: 'stoppedAt − startedAt in seconds; null while active' },
    averagePowerW: { type: ['number', 'null'], description: 'energyWh ÷ duration, in W; null without both' },
  },
} as const;

export const meterValueSchema = {
  type: 'object',
  required: ['timestamp', 'measurand', 'value', 'unit', 'phase', 'context'],
  properties: {
    timestamp: isoTime,
    measurand: { type: 'string' },
    value: { type: 'string', description: 'As the charger sent it' },
    unit: nullableString,
    phase: nullableString,
    context: nullableString,
    location: nullableString,
    normalizedValue: { type: ['number', 'null'], description: 'The value in its base unit (kWh → Wh, kW → W, kvarh → varh); null when not a number' },
    normalizedUnit: { ...nullableString, description: 'The base unit of normalizedValue' },
  },
} as const;

export const transactionDetailSchema = {
  ...transactionSchema,
  required: [...transactionSchema.required, 'meterValues'],
  properties: { ...transactionSchema.properties, meterValues: { type: 'array', items: meterValueSchema } },
} as const;

const filterProperties = {
  chargePointId: { type: 'string', minLength: 1, maxLength: 255 },
  idTag: { type: 'string', minLength: 1, maxLength: 20 },
  from: { ...isoTime, description: 'Sessions started at or after this time' },
  to: { ...isoTime, description: 'Sessions started before this time' },
  active: { type: 'boolean', description: 'true: only active sessions; false: only completed ones' },
} as const;

const tags = ['transactions'];

export const listTransactionsSchema = {
  tags,
  summary: 'List charging sessions',
  security: bearerSecurity,
  querystring: { type: 'object', properties: { ...filterProperties, ...pageQueryProperties } },
  response: { 200: pageOf(transactionSchema, 'A page of sessions, in id order'), ...errorResponses(400, 401, 500) },
} as const;

export const getTransactionSchema = {
  tags,
  summary: 'Get one session with its meter values',
  security: bearerSecurity,
  params: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
  response: { 200: { ...transactionDetailSchema, description: 'The session' }, ...errorResponses(400, 401, 404, 500) },
} as const;

export const exportTransactionsSchema = {
  tags,
  summary: 'Export sessions as CSV',
  description: 'Same filters as the list, every match, streamed page by page in constant memory. Header row: the list fields without flags.',
  security: bearerSecurity,
  querystring: { type: 'object', properties: filterProperties },
  response: {
    200: csvResponse,
    ...errorResponses(400, 401, 500),
  },
} as const;
