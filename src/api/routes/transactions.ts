// /api/v1/transactions: sessions, one session with meter values, and the streamed CSV export.
import type { FastifyInstance } from 'fastify';
import { averagePowerW, durationSeconds, normalizeSample } from '../../domain/transactions/energy.js';
import type { TransactionDetail, TransactionFilter, TransactionRecord } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { csvStream, type CsvValue } from '../csv.js';
import { ApiError } from '../errors.js';
import { toUtcIso } from '../time.js';
import { exportTransactionsSchema, getTransactionSchema, listTransactionsSchema } from '../schemas/transactions.js';

interface FilterQuery {
  chargePointId?: string;
  idTag?: string;
  from?: string;
  to?: string;
  active?: boolean;
}

/** Only the filters the caller gave, times normalised to the UTC form storage compares. */
function filterOf(query: FilterQuery): TransactionFilter {
  const filter: TransactionFilter = {};
  if (query.chargePointId !== undefined) filter.chargePointId = query.chargePointId;
  if (query.idTag !== undefined) filter.idTag = query.idTag;
  if (query.from !== undefined) filter.from = toUtcIso(query.from);
  if (query.to !== undefined) filter.to = toUtcIso(query.to);
  if (query.active !== undefined) filter.active = query.active;
  return filter;
}

/** A session as the API shows it: with its duration and average power, derived, never stored. */
type SessionView = TransactionRecord & { durationS: number | null; averagePowerW: number | null };

function view(record: TransactionRecord): SessionView {
  const durationS = durationSeconds(record.startedAt, record.stoppedAt);
  return { ...record, durationS, averagePowerW: averagePowerW(record.energyWh, durationS) };
}

/** Meter values also in base units (kWh → Wh, kW → W), next to the value as the charger sent it. */
function detailView(detail: TransactionDetail) {
  return {
    ...view(detail),
    meterValues: detail.meterValues.map((m) => {
      const normalized = normalizeSample(m.value, m.unit);
      return { ...m, normalizedValue: normalized?.value ?? null, normalizedUnit: normalized ? normalized.unit : null };
    }),
  };
}

/** The list's fields, in order, minus flags (an array has no single CSV cell). */
export const CSV_COLUMNS = [
  'id', 'chargePointId', 'connectorId', 'evseId', 'chargerTransactionId', 'idTag', 'idTokenType', 'startedAt', 'stoppedAt',
  'meterStartWh', 'meterStopWh', 'energyWh', 'stopReason', 'status', 'durationS', 'averagePowerW',
] as const satisfies readonly (keyof SessionView)[];

// One row at a time, straight from the storage page being streamed: memory stays constant.
const csvCells = (row: TransactionRecord): CsvValue[] => {
  const session = view(row);
  return CSV_COLUMNS.map((column) => session[column]);
};

/** Yields an already-read first result, then the rest of the iterator. */
async function* resume<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  let next = first;
  try {
    for (; !next.done; next = await rest.next()) yield next.value;
  } finally {
    // Stopped early (client gone): let the source close its cursor.
    if (!next.done) await rest.return?.();
  }
}

export async function transactionRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'transactions'>) {
  app.get<{ Querystring: FilterQuery & { limit: number; cursor?: string } }>(
    '/transactions',
    { schema: listTransactionsSchema },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await deps.transactions.list(filterOf(request.query), { limit, cursor: cursor ?? null });
      return { ...page, items: page.items.map(view) };
    },
  );

  // A static segment: find-my-way matches it before /transactions/:id whatever the registration order.
  app.get<{ Querystring: FilterQuery }>('/transactions/export.csv', { schema: exportTransactionsSchema }, async (request, reply) => {
    const iterator = deps.transactions.iterate(filterOf(request.query))[Symbol.asyncIterator]();
    // Read the first row before answering, so a storage failure is still a JSON 500 and not a cut-off 200.
    const first = await iterator.next();
    const body = csvStream(CSV_COLUMNS, resume(first, iterator), csvCells);
    body.on('error', (err) => request.log.error({ err }, 'transaction export failed mid-stream'));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="transactions.csv"')
      .send(body);
  });

  app.get<{ Params: { id: number } }>('/transactions/:id', { schema: getTransactionSchema }, async (request) => {
    const transaction = await deps.transactions.get(request.params.id);
    if (!transaction) throw new ApiError(404, 'not_found', `Transaction ${request.params.id} not found`);
    return detailView(transaction);
  });
}
