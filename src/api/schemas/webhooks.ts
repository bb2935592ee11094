// Webhook subscriptions (PRODUCT.md route table) and their delivery log.
import { EVENT_NAMES } from '../../events/types.js';
import { bearerSecurity, errorResponses, isoTime, nullableIsoTime, nullableString, pageOf, pageQueryProperties } from './common.js';

const eventNames = { type: 'string', enum: [...EVENT_NAMES, '*'] } as const;

export const webhookSchema = {
  type: 'object',
  required: ['id', 'url', 'events', 'enabled', 'consecutiveFailures', 'disabledAt', 'createdAt'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string', description: 'Where each event is POSTed' },
    events: { type: 'array', items: eventNames, description: 'The event names it receives; ["*"] for all' },
    enabled: { type: 'boolean', description: 'false once it failed VOLTGATE_WEBHOOK_MAX_FAILURES times in a row; re-enable with POST …/enable' },
    consecutiveFailures: { type: 'integer' },
    disabledAt: nullableIsoTime,
    createdAt: isoTime,
  },
} as const;

const deliverySchema = {
  type: 'object',
  required: ['id', 'eventId', 'event', 'attempt', 'attemptedAt', 'status', 'error', 'durationMs'],
  properties: {
    id: { type: 'integer' },
    eventId: { type: 'string' },
    event: { type: 'string' },
    attempt: { type: 'integer', description: '1 for the first attempt of this event' },
    attemptedAt: isoTime,
    status: { type: ['integer', 'null'], description: "The receiver's HTTP status; null when it gave none (see error)" },
    error: { ...nullableString, description: 'Why the attempt failed (timeout, refused connection, non-2xx status)' },
    durationMs: { type: 'integer' },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tags = ['webhooks'];

export const listWebhooksSchema = {
  tags,
  summary: 'List webhook subscriptions',
  security: bearerSecurity,
  querystring: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
  response: { 200: pageOf(webhookSchema, 'A page of subscriptions'), ...errorResponses(400, 401, 500) },
} as const;

export const createWebhookSchema = {
  tags,
  summary: 'Subscribe a URL to events',
  description:
    'Each delivery is a POST of {"id","event","occurredAt","data"} with X-Voltgate-Event (the event name) and X-Voltgate-Signature ' +
    '(HMAC-SHA256 of the exact body with the secret, hex). Any 2xx answer within VOLTGATE_WEBHOOK_TIMEOUT_MS counts as delivered; ' +
    'anything else is retried with exponential back-off (at least once: a receiver may see an event twice, and tells by its id).',
  security: bearerSecurity,
  body: {
    type: 'object',
    required: ['url', 'events', 'secret'],
    additionalProperties: false,
    properties: {
      url: { type: 'string', minLength: 1, maxLength: 2048, description: 'http:// or https://' },
      events: { type: 'array', minItems: 1, uniqueItems: true, items: eventNames },
      secret: { type: 'string', minLength: 8, maxLength: 256, description: 'Signs each delivery; never shown again' },
    },
  },
  response: { 201: { ...webhookSchema, description: 'The subscription' }, ...errorResponses(400, 401, 500) },
} as const;

export const getWebhookSchema = {
  tags,
  summary: 'Get one webhook subscription',
  security: bearerSecurity,
  params: idParams,
  response: { 200: { ...webhookSchema, description: 'The subscription' }, ...errorResponses(401, 404, 500) },
} as const;

export const deleteWebhookSchema = {
  tags,
  summary: 'Remove a webhook subscription, its pending deliveries and its log',
  security: bearerSecurity,
  params: idParams,
  response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(401, 404, 500) },
} as const;

export const enableWebhookSchema = {
  tags,
  summary: 'Re-enable a disabled subscription',
  description: 'Clears the failure count; the deliveries it had pending go out at once.',
  security: bearerSecurity,
  params: idParams,
  response: { 200: { ...webhookSchema, description: 'The subscription' }, ...errorResponses(401, 404, 500) },
} as const;

export const listDeliveriesSchema = {
  tags,
  summary: "A subscription's delivery log, newest first",
  security: bearerSecurity,
  params: idParams,
  querystring: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
  response: { 200: pageOf(deliverySchema, 'A page of delivery attempts'), ...errorResponses(400, 401, 404, 500) },
} as const;
