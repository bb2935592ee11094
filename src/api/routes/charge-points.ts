// /api/v1/charge-points: the chargers, with whether each holds a connection right now.
import type { FastifyInstance } from 'fastify';
import { hashChargerPassword } from '../../domain/chargers/password.js';
import type { ChargePointRecord, RegistrationStatus, SecurityProfile } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import {
  deleteChargePointSchema,
  getChargePointSchema,
  listChargePointsSchema,
  putChargePointSchema,
} from '../schemas/charge-points.js';

interface IdParams {
  id: string;
}

interface PutBody {
  registrationStatus?: RegistrationStatus;
  vendor?: string | null;
  model?: string | null;
  password?: string | null;
  protocols?: string[] | null;
  soapEndpoint?: string | null;
  securityProfile?: SecurityProfile;
  allowDowngrade?: boolean;
}

const notFound = (id: string) => new ApiError(404, 'not_found', `Charge point '${id}' not found`);

export async function chargePointRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'chargePoints' | 'gateway'>) {
  // The response schema picks the published fields; `connected` is live state, not stored.
  const view = (record: ChargePointRecord) => ({ ...record, connected: deps.gateway.isConnected(record.id), passwordChangePending: record.pendingPasswordHash !== null });

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/charge-points',
    { schema: listChargePointsSchema },
    async (request) => {
      const page = await deps.chargePoints.list({ limit: request.query.limit, cursor: request.query.cursor ?? null });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: IdParams }>('/charge-points/:id', { schema: getChargePointSchema }, async (request) => {
    const record = await deps.chargePoints.get(request.params.id);
    if (!record) throw notFound(request.params.id);
    return view(record);
  });

  app.put<{ Params: IdParams; Body: PutBody }>(
    '/charge-points/:id',
    {
      schema: putChargePointSchema,
      // Registering a charger needs nothing but its id: a PUT without a body means `{}`.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const { registrationStatus, vendor, model, password, protocols, soapEndpoint, securityProfile, allowDowngrade } = request.body;
      if (securityProfile !== undefined && !allowDowngrade) {
        // A lower profile lets a charger in with less proof of who it is: never by accident (CONFORMANCE 27).
        const stored = (await deps.chargePoints.get(request.params.id))?.securityProfile ?? 0;
        if (securityProfile < stored) {
          throw new ApiError(409, 'security_profile_downgrade', `Charge point '${request.params.id}' is at security profile ${stored}: lowering it to ${securityProfile} needs "allowDowngrade": true`);
        }
      }
      const passwordHash = password === undefined ? undefined : password === null ? null : hashChargerPassword(password);
      const input = { id: request.params.id, registrationStatus, vendor, model, passwordHash, protocols, soapEndpoint, securityProfile };
      // Only the fields the caller sent: an absent field keeps its stored value.
      for (const key of ['registrationStatus', 'vendor', 'model', 'passwordHash', 'protocols', 'soapEndpoint', 'securityProfile'] as const) if (input[key] === undefined) delete input[key];
      return view(await deps.chargePoints.put(input));
    },
  );

  app.delete<{ Params: IdParams }>('/charge-points/:id', { schema: deleteChargePointSchema }, async (request, reply) => {
    if (!(await deps.chargePoints.delete(request.params.id))) throw notFound(request.params.id);
    return reply.code(204).send();
  });
}
