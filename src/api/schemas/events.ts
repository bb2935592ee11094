// The live feed and each charger's connection history.
import { bearerSecurity, errorResponses, isoTime, nullableString, pageOf, pageQueryProperties } from './common.js';

export const eventFeedSchema = {
  tags: ['events'],
  summary: 'Live feed of events (server-sent events)',
  description:
    'text/event-stream: each event as `id:`, `event:` (its name) and `data:` (the webhook body) lines, and a `: keep-alive` comment ' +
    'every 15 s. The operator key goes in Authorization: Bearer, or, for browsers\' EventSource (which cannot set headers), in the ' +
    '`key` query parameter. Reconnecting with Last-Event-ID (or `lastEventId`) replays the events after that id from the outbox.',
  security: bearerSecurity,
  querystring: {
    type: 'object',
    properties: {
      key: { type: 'string', description: 'The operator key, for clients that cannot send an Authorization header' },
      lastEventId: { type: 'string', maxLength: 64, description: 'Same as the Last-Event-ID header' },
    },
    additionalProperties: false,
  },
  response: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
    ...errorResponses(401, 500),
  },
} as const;

const connectionSchema = {
  type: 'object',
  required: ['id', 'kind', 'at', 'protocol', 'code', 'reason'],
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['connected', 'disconnected'] },
    at: isoTime,
    protocol: nullableString,
    code: { type: ['integer', 'null'], description: 'WebSocket close code of a disconnect (1006: the connection dropped, e.g. no pong)' },
    reason: { ...nullableString, description: 'Close reason of a disconnect' },
  },
} as const;

export const listConnectionsSchema = {
  tags: ['charge-points'],
  summary: "A charger's connects and disconnects, newest first",
  security: bearerSecurity,
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 255 } } },
  querystring: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
  response: { 200: pageOf(connectionSchema, 'A page of connection changes'), ...errorResponses(400, 401, 500) },
} as const;

const securityEventSchema = {
  type: 'object',
  required: ['id', 'type', 'techInfo', 'source', 'occurredAt', 'receivedAt'],
  properties: {
    id: { type: 'integer' },
    type: { type: 'string', description: "The charger's event type (SecurityEventNotification), or Voltgate's own: RefusedWithoutTls, InvalidClientCertificate, InvalidPassword" },
    techInfo: { ...nullableString, description: 'What the charger added, or what Voltgate saw (never a password)' },
    source: { type: 'string', enum: ['charger', 'voltgate'], description: 'Who reported it: the charger, or Voltgate at its handshake' },
    occurredAt: { ...isoTime, description: "When it happened: the charger's timestamp for its own events" },
    receivedAt: isoTime,
  },
} as const;

export const listSecurityEventsSchema = {
  tags: ['charge-points'],
  summary: "A charger's security events, newest first: the ones it reported, and Voltgate's refusals of its handshakes (at most one a minute of each kind)",
  security: bearerSecurity,
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 255 } } },
  querystring: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
  response: { 200: pageOf(securityEventSchema, 'A page of security events'), ...errorResponses(400, 401, 500) },
} as const;
