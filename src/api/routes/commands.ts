// POST /charge-points/{id}/ocpp/{action} and GET /charge-points/{id}/commands (see schemas/commands.ts).
import type { FastifyInstance } from 'fastify';
import { InvalidCommandPayloadError, UnknownCommandError } from '../../domain/commands/send.js';
import { requireChargePoint, runChargerCommand } from '../charger-commands.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { listChargerMessagesSchema, listCommandsSchema, sendCommandSchema } from '../schemas/commands.js';

export async function commandRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'chargePoints' | 'gateway' | 'commands' | 'messages'>) {
  app.post<{ Params: { id: string; action: string }; Body: Record<string, unknown> | undefined }>(
    '/charge-points/:id/ocpp/:action',
    {
      schema: sendCommandSchema,
      // A call without a body (ClearCache, GetLocalListVersion) sends the empty payload its schema asks for.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const { id, action } = request.params;
      try {
        return await runChargerCommand(deps, id, () => deps.commands.send(id, action, request.body ?? {}));
      } catch (error) {
        if (error instanceof UnknownCommandError) throw new ApiError(404, 'unknown_action', error.message);
        if (error instanceof InvalidCommandPayloadError) throw new ApiError(400, 'validation_error', error.message);
        throw error;
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/charge-points/:id/commands',
    { schema: listCommandsSchema },
    async (request) => {
      const { id } = request.params;
      await requireChargePoint(deps, id);
      return deps.commands.history(id, { limit: request.query.limit, cursor: request.query.cursor ?? null });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/charge-points/:id/messages',
    { schema: listChargerMessagesSchema },
    async (request) => {
      const { id } = request.params;
      await requireChargePoint(deps, id);
      return deps.messages.list(id, { limit: request.query.limit, cursor: request.query.cursor ?? null });
    },
  );
}
