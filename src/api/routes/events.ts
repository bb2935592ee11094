// /api/v1/events: the live feed as server-sent events (events/feed.ts), and each charger's connection history.
import type { FastifyInstance } from 'fastify';
import { openFeed } from '../../events/feed.js';
import type { ApiDeps } from '../deps.js';
import { eventFeedSchema, listConnectionsSchema, listSecurityEventsSchema } from '../schemas/events.js';

const KEEP_ALIVE_MS = 15_000;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and catches up from the outbox. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export async function eventRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'events' | 'connections' | 'securityEvents'>) {
  app.get<{ Querystring: { key?: string; lastEventId?: string } }>(
    '/events',
    // queryKey: the auth hook also accepts ?key=, since EventSource cannot send headers.
    { schema: eventFeedSchema, config: { queryKey: true } },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const lastEventId = (typeof header === 'string' && header.trim()) || request.query.lastEventId || null;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const feed = openFeed(
        deps.events,
        { write: (text) => raw.write(text), end: () => raw.end() },
        { lastEventId, keepAliveMs: KEEP_ALIVE_MS, maxBufferedBytes: MAX_BUFFERED_BYTES, buffered: () => raw.writableLength },
      );
      // The client went away, or the server is closing (create-server.ts closes every connection then).
      raw.on('close', () => feed.close());
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/charge-points/:id/connections',
    { schema: listConnectionsSchema },
    async (request) => deps.connections.list(request.params.id, { limit: request.query.limit, cursor: request.query.cursor ?? null }),
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/charge-points/:id/security-events',
    { schema: listSecurityEventsSchema },
    async (request) => deps.securityEvents.list(request.params.id, { limit: request.query.limit, cursor: request.query.cursor ?? null }),
  );
}
