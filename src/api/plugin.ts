// The REST API (PRODUCT.md "Operator and integrator side"): OpenAPI document and docs, health probes,
// and /api/v1 as an encapsulated plugin whose hooks and handlers touch nothing outside it (habit 12).
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiDeps } from './deps.js';
import { bearerAuth } from './auth.js';
import { apiErrorHandler, apiNotFoundHandler } from './errors.js';
import { chargePointRoutes } from './routes/charge-points.js';
import { authorizationRoutes } from './routes/authorizations.js';
import { healthRoutes } from './routes/health.js';
import { remoteRoutes } from './routes/remote.js';
import { commandRoutes } from './routes/commands.js';
import { credentialRoutes } from './routes/credentials.js';
import { statisticsRoutes } from './routes/statistics.js';
import { idTagRoutes } from './routes/id-tags.js';
import { localListRoutes } from './routes/local-list.js';
import { transactionRoutes } from './routes/transactions.js';
import { webhookRoutes } from './routes/webhooks.js';
import { eventRoutes } from './routes/events.js';

export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  // Registered first so its onRoute hook sees every route declared after it. Untagged routes (other
  // rooms' pages, the docs' own assets) stay out of the document.
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Voltgate API',
        version: '1.0.0',
        description: 'Operator and integrator API of the Voltgate CSMS. Times are ISO-8601 UTC; energy is in Wh.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The operator key' } } },
      tags: [
        { name: 'charge-points', description: 'Chargers' },
        { name: 'id-tags', description: 'The whitelist' },
        { name: 'transactions', description: 'Charging sessions' },
        { name: 'local-list', description: "Chargers' local authorization lists and authorization caches" },
        { name: 'authorization', description: 'Authorization decisions and who made them' },
        { name: 'remote-control', description: 'Remote start and stop' },
        { name: 'commands', description: 'Any OCPP call to a charger, and the history of calls sent' },
        { name: 'security', description: "Chargers' passwords, security profiles and certificates" },
        { name: 'webhooks', description: 'Event subscriptions and their delivery log' },
        { name: 'events', description: 'The live event feed' },
        { name: 'health', description: 'Probes' },
      ],
    },
  });
  // Serves the Swagger UI files bundled in the package (no CDN), reading /api/docs/json.
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Closures, not register(plugin, deps): deps are not Fastify plugin options.
  await app.register(async (root) => healthRoutes(root, deps));

  await app.register(async (api) => {
    // Under /api every error and unknown route has the PRODUCT.md error shape.
    api.setErrorHandler(apiErrorHandler);
    api.setNotFoundHandler(apiNotFoundHandler);
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await api.register(
      async (v1) => {
        v1.addHook('onRequest', bearerAuth(deps.apiKey));
        await chargePointRoutes(v1, deps);
        await idTagRoutes(v1, deps);
        await localListRoutes(v1, deps);
        await transactionRoutes(v1, deps);
        await authorizationRoutes(v1, deps);
        await remoteRoutes(v1, deps);
        await webhookRoutes(v1, deps);
        await eventRoutes(v1, deps);
        await commandRoutes(v1, deps);
        await credentialRoutes(v1, deps);
        await statisticsRoutes(v1, deps);
      },
      { prefix: '/v1' },
    );
  }, { prefix: '/api' });
}
