// GET /api/v1/statistics: totals per group, summed by the database (storage/repositories/transaction-totals.ts).
import type { FastifyInstance } from 'fastify';
import type { TotalsGroupBy, TransactionFilter } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { statisticsSchema } from '../schemas/statistics.js';
import { toUtcIso } from '../time.js';

interface StatisticsQuery {
  groupBy: TotalsGroupBy;
  from?: string;
  to?: string;
  chargePointId?: string;
  idTag?: string;
  limit: number;
  cursor?: string;
}

export async function statisticsRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'transactions'>) {
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { schema: statisticsSchema }, async (request) => {
    const { groupBy, from, to, chargePointId, idTag, limit, cursor } = request.query;
    const filter: TransactionFilter = {};
    if (from !== undefined) filter.from = toUtcIso(from);
    if (to !== undefined) filter.to = toUtcIso(to);
    if (chargePointId !== undefined) filter.chargePointId = chargePointId;
    if (idTag !== undefined) filter.idTag = idTag;
    return { groupBy, ...(await deps.transactions.totals(groupBy, filter, { limit, cursor })) };
  });
}
