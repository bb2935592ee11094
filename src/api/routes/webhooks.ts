// /api/v1/webhooks: subscriptions, their delivery log, and re-enabling one that kept failing.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { forbiddenOutboundUrl } from '../../config/outbound-urls.js';
import {
  createWebhookSchema,
  deleteWebhookSchema,
  enableWebhookSchema,
  getWebhookSchema,
  listDeliveriesSchema,
  listWebhooksSchema,
} from '../schemas/webhooks.js';

interface IdParams {
  id: string;
}
interface PageQuerystring {
  limit: number;
  cursor?: string;
}

const notFound = (id: string) => new ApiError(404, 'not_found', `Webhook '${id}' not found`);

/**
 * Only absolute http(s) URLs: anything else could never be delivered to, and would fail silently. Not the
 * link-local range or a cloud's metadata service, unless the operator allowed them (config/outbound-urls.ts).
 */
function checkUrl(url: string, allowLinkLocal: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError(400, 'validation_error', 'url: must be an absolute http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ApiError(400, 'validation_error', `url: must be http:// or https://, not ${parsed.protocol}//`);
  }
  const refused = allowLinkLocal ? null : forbiddenOutboundUrl(url);
  if (refused) throw new ApiError(400, 'validation_error', `url: ${refused}`);
}

export async function webhookRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'webhooks' | 'webhookCommitted' | 'allowLinkLocalUrls'>) {
  app.get<{ Querystring: PageQuerystring }>('/webhooks', { schema: listWebhooksSchema }, async (request) =>
    deps.webhooks.list({ limit: request.query.limit, cursor: request.query.cursor ?? null }),
  );

  app.post<{ Body: { url: string; events: string[]; secret: string } }>('/webhooks', { schema: createWebhookSchema }, async (request, reply) => {
    const { url, events, secret } = request.body;
    checkUrl(url, deps.allowLinkLocalUrls ?? false);
    // '*' alongside names would say the same thing twice: keep the list as plain as it means.
    const names = events.includes('*') ? ['*'] : events;
    const webhook = await deps.webhooks.create({ id: `wh_${randomBytes(8).toString('hex')}`, url, events: names, secret, at: new Date().toISOString() });
    return reply.code(201).header('location', `${request.url.split('?')[0]}/${webhook.id}`).send(webhook);
  });

  app.get<{ Params: IdParams }>('/webhooks/:id', { schema: getWebhookSchema }, async (request) => {
    const webhook = await deps.webhooks.get(request.params.id);
    if (!webhook) throw notFound(request.params.id);
    return webhook;
  });

  app.delete<{ Params: IdParams }>('/webhooks/:id', { schema: deleteWebhookSchema }, async (request, reply) => {
    if (!(await deps.webhooks.delete(request.params.id))) throw notFound(request.params.id);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/webhooks/:id/enable', { schema: enableWebhookSchema }, async (request) => {
    const webhook = await deps.webhooks.enable(request.params.id, new Date().toISOString());
    if (!webhook) throw notFound(request.params.id);
    deps.webhookCommitted?.();
    return webhook;
  });

  app.get<{ Params: IdParams; Querystring: PageQuerystring }>('/webhooks/:id/deliveries', { schema: listDeliveriesSchema }, async (request) => {
    if (!(await deps.webhooks.get(request.params.id))) throw notFound(request.params.id);
    return deps.webhooks.deliveries(request.params.id, { limit: request.query.limit, cursor: request.query.cursor ?? null });
  });
}
