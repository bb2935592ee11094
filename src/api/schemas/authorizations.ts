// The authorization decision log: every Authorize, StartTransaction, StopTransaction and remote-start decision.
import { bearerSecurity, errorResponses, isoTime, nullableString, pageOf, pageQueryProperties } from './common.js';

const sources = ['whitelist', 'authorizer', 'authorizer-cache', 'fallback'] as const;

export const decisionSchema = {
  type: 'object',
  required: ['id', 'chargePointId', 'connectorId', 'idTag', 'idTokenType', 'reason', 'status', 'source', 'detail', 'decidedAt'],
  properties: {
    id: { type: 'integer' },
    chargePointId: { type: 'string' },
    connectorId: { type: ['integer', 'null'], description: 'null for an Authorize (it names no connector)' },
    idTag: { type: 'string' },
    reason: { type: 'string', enum: ['Authorize', 'StartTransaction', 'StopTransaction', 'RemoteStart'], description: 'What was asked' },
    status: { type: 'string', enum: ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'], description: 'The answer (idTagInfo.status)' },
    source: {
      type: 'string',
      enum: sources,
      description:
        "whitelist: decided by the ID tag table; authorizer: the operator's authorizer answered; authorizer-cache: its recent answer reused; " +
        'fallback: the authorizer was slow, down or answered nonsense, so the whitelist decided (see detail)',
    },
    detail: { ...nullableString, description: 'Why the fallback happened' },
    decidedAt: isoTime,
    idTokenType: { ...nullableString, description: 'The token type the charger presented (OCPP 2.x), or null' },
  },
} as const;

export const listDecisionsSchema = {
  tags: ['authorization'],
  summary: 'Authorization decisions, newest first',
  security: bearerSecurity,
  querystring: {
    type: 'object',
    properties: {
      ...pageQueryProperties,
      chargePointId: { type: 'string', minLength: 1, maxLength: 255 },
      idTag: { type: 'string', minLength: 1, maxLength: 20, description: 'Case-insensitive' },
      source: { type: 'string', enum: sources },
      from: { ...isoTime, description: 'Decisions at or after this time' },
      to: { ...isoTime, description: 'Decisions before this time' },
    },
    additionalProperties: false,
  },
  response: { 200: pageOf(decisionSchema, 'A page of decisions'), ...errorResponses(400, 401, 500) },
} as const;
