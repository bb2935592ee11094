// Remote start and stop, and the start-request handle (PRODUCT.md).
import type { FastifyInstance } from 'fastify';
import { RemoteStopRefusedError, remoteStop } from '../../domain/commands/remote-stop.js';
import type { ApiDeps } from '../deps.js';
import { runChargerCommand } from '../charger-commands.js';
import { ApiError } from '../errors.js';
import { getStartRequestSchema, remoteStartSchema, remoteStopSchema } from '../schemas/remote.js';

interface IdParams {
  id: string;
}

export async function remoteRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'chargePoints' | 'gateway' | 'transactions' | 'remoteStarts'>) {
  app.post<{ Params: IdParams; Body: { idTag: string; connectorId?: number; evseId?: number; idTokenType?: string } }>(
    '/charge-points/:id/remote-start',
    { schema: remoteStartSchema },
    async (request) => {
      const { id } = request.params;
      // A 1.x idTag is a CiString20: longer tokens exist only from 2.0.1 on.
      const protocol = deps.gateway.protocolOf(id);
      if (request.body.idTag.length > 20 && protocol !== null && !protocol.startsWith('ocpp2')) {
        throw new ApiError(400, 'validation_error', `body/idTag must NOT have more than 20 characters for an OCPP 1.x charger (${protocol})`);
      }
      return runChargerCommand(deps, id, () => deps.remoteStarts.start({ chargePointId: id, ...request.body }));
    },
  );

  app.post<{ Params: IdParams; Body: { transactionId: number } }>(
    '/charge-points/:id/remote-stop',
    { schema: remoteStopSchema },
    async (request) => {
      const { id } = request.params;
      try {
        return await runChargerCommand(deps, id, () => remoteStop(deps, { chargePointId: id, transactionId: request.body.transactionId }));
      } catch (error) {
        if (!(error instanceof RemoteStopRefusedError)) throw error;
        throw error.refusal === 'unknown-transaction'
          ? new ApiError(404, 'not_found', error.message)
          : new ApiError(409, error.refusal === 'other-charger' ? 'transaction_of_other_charger' : 'transaction_stopped', error.message);
      }
    },
  );

  app.get<{ Params: { startRequestId: string } }>('/start-requests/:startRequestId', { schema: getStartRequestSchema }, async (request) => {
    const record = await deps.remoteStarts.get(request.params.startRequestId);
    if (!record) throw new ApiError(404, 'not_found', `Start request '${request.params.startRequestId}' not found`);
    return record;
  });
}
