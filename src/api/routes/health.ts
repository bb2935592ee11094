// Liveness and readiness probes (PRODUCT.md "Other endpoints"); no key needed, so orchestrators can call them.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

/** A readiness check that takes longer than this counts as not ready: a probe must never hang. */
const READY_TIMEOUT_MS = 2000;

const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

const tags = ['health'];

export async function healthRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'ready'>) {
  app.get(
    '/healthz',
    { schema: { tags, summary: 'Liveness: the process answers', security: [], response: { 200: { ...statusSchema, description: 'Alive' } } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: storage is reachable',
        security: [],
        response: { 200: { ...statusSchema, description: 'Ready' }, 503: { ...statusSchema, description: 'Storage unreachable' } },
      },
    },
    async (request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`readiness check took over ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([deps.ready(), timeout]);
        return { status: 'ok' };
      } catch (err) {
        request.log.warn({ err }, 'not ready');
        return reply.code(503).send({ status: 'unavailable' });
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
