// /api/v1/charge-points/{id}/local-list, …/local-list/version and …/clear-cache: the charger's Local
// Authorization List and authorization cache (OCPP 1.6 §3.5, §5.4, §5.10, §5.15).
import type { FastifyInstance } from 'fastify';
import type { LocalListUpdateType } from '../../domain/local-list/sync.js';
import { runChargerCommand } from '../charger-commands.js';
import type { ApiDeps } from '../deps.js';
import { clearCacheSchema, getLocalListVersionSchema, pushLocalListSchema } from '../schemas/local-list.js';

interface IdParams {
  id: string;
}

export async function localListRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'chargePoints' | 'gateway' | 'localLists'>) {
  app.post<{ Params: IdParams; Body: { updateType: LocalListUpdateType } }>(
    '/charge-points/:id/local-list',
    { schema: pushLocalListSchema },
    async (request) => {
      const { id } = request.params;
      return runChargerCommand(deps, id, () => deps.localLists.push(id, request.body.updateType));
    },
  );

  app.get<{ Params: IdParams }>('/charge-points/:id/local-list/version', { schema: getLocalListVersionSchema }, async (request) => {
    const { id } = request.params;
    return { listVersion: await runChargerCommand(deps, id, () => deps.localLists.readVersion(id)) };
  });

  app.post<{ Params: IdParams }>('/charge-points/:id/clear-cache', { schema: clearCacheSchema }, async (request) => {
    const { id } = request.params;
    return { status: await runChargerCommand(deps, id, () => deps.localLists.clearCache(id)) };
  });
}
