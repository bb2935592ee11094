// /api/v1/authorizations: the decision log, so an operator can see who was let in, refused, and by whom.
import type { FastifyInstance } from 'fastify';
import type { AuthorizationDecisionFilter, DecisionSource } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { listDecisionsSchema } from '../schemas/authorizations.js';
import { toUtcIso } from '../time.js';

interface Query {
  limit: number;
  cursor?: string;
  chargePointId?: string;
  idTag?: string;
  source?: DecisionSource;
  from?: string;
  to?: string;
}

export async function authorizationRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'decisions'>) {
  app.get<{ Querystring: Query }>('/authorizations', { schema: listDecisionsSchema }, async (request) => {
    const { limit, cursor, chargePointId, idTag, source, from, to } = request.query;
    const filter: AuthorizationDecisionFilter = {};
    if (chargePointId !== undefined) filter.chargePointId = chargePointId;
    if (idTag !== undefined) filter.idTag = idTag;
    if (source !== undefined) filter.source = source;
    if (from !== undefined) filter.from = toUtcIso(from);
    if (to !== undefined) filter.to = toUtcIso(to);
    return deps.decisions.list(filter, { limit, cursor: cursor ?? null });
  });
}
