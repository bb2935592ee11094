// /api/v1/id-tags: the whitelist, its CSV import and export. Writes go through deps.idTags (the domain's
// table) so decisions see them at once.
import type { FastifyInstance } from 'fastify';
import type { IdTagInput, IdTagListQuery, IdTagRecord, IdTagStatus } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { csvStream } from '../csv.js';
import { ApiError } from '../errors.js';
import { describeCsvErrors, readIdTagCsv } from '../id-tag-csv.js';
import { toUtcIso } from '../time.js';
import {
  deleteIdTagSchema,
  exportIdTagsSchema,
  getIdTagSchema,
  ID_TAG_CSV_COLUMNS,
  importIdTagsSchema,
  listIdTagsSchema,
  putIdTagSchema,
} from '../schemas/id-tags.js';

interface IdTagParams {
  idTag: string;
}

type FilterQuery = Pick<IdTagListQuery, 'status' | 'parentIdTag' | 'q'>;

/** Only the filters the caller gave. */
function filterOf(query: FilterQuery): FilterQuery {
  const filter: FilterQuery = {};
  if (query.status !== undefined) filter.status = query.status;
  if (query.parentIdTag !== undefined) filter.parentIdTag = query.parentIdTag;
  if (query.q !== undefined) filter.q = query.q;
  return filter;
}

/** Rows per storage query of the export: the export never reads every tag at once. */
const EXPORT_PAGE = 1000;
/** An answer naming ten thousand bad lines helps no one more than one naming the first thousand. */
const MAX_DETAILS = 1000;

type PutBody = Partial<Omit<IdTagInput, 'idTag' | 'status'>> & { status: IdTagStatus };

const notFound = (idTag: string) => new ApiError(404, 'not_found', `ID tag '${idTag}' not found`);

export async function idTagRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'idTags'>) {
  // Import bodies are CSV text. Added where these routes live (Fastify scopes it to this plugin's context).
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.get<{ Querystring: FilterQuery & { limit: number; cursor?: string } }>(
    '/id-tags',
    { schema: listIdTagsSchema },
    async (request) => {
      const { limit, cursor } = request.query;
      return deps.idTags.list({ limit, cursor: cursor ?? null, ...filterOf(request.query) });
    },
  );

  // Static segments: find-my-way matches them before /id-tags/:idTag whatever the registration order.
  app.get<{ Querystring: FilterQuery }>('/id-tags/export.csv', { schema: exportIdTagsSchema }, async (request, reply) => {
    const filter = filterOf(request.query);
    // The first page is read before answering, so a storage failure is still a JSON 500 and not a cut-off 200.
    const first = await deps.idTags.list({ ...filter, limit: EXPORT_PAGE, cursor: null });
    async function* rows(): AsyncGenerator<IdTagRecord> {
      yield* first.items;
      for (let cursor = first.nextCursor; cursor !== null; ) {
        const page = await deps.idTags.list({ ...filter, limit: EXPORT_PAGE, cursor });
        yield* page.items;
        cursor = page.nextCursor;
      }
    }
    const body = csvStream(ID_TAG_CSV_COLUMNS, rows(), (tag) => ID_TAG_CSV_COLUMNS.map((column) => tag[column]));
    body.on('error', (err) => request.log.error({ err }, 'ID tag export failed mid-stream'));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="id-tags.csv"')
      .send(body);
  });

  // All or nothing: every line is checked before the one transaction that writes them all.
  app.post<{ Body: string }>('/id-tags/import', { schema: importIdTagsSchema }, async (request) => {
    const file = readIdTagCsv(request.body);
    if (!file.ok) throw new ApiError(400, 'invalid_csv', describeCsvErrors(file.errors), file.errors.slice(0, MAX_DETAILS));
    const { created, updated } = await deps.idTags.putMany(file.tags, { keep: file.keep });
    request.log.info({ imported: file.tags.length, created, updated }, 'ID tags imported');
    return { imported: file.tags.length, created, updated };
  });

  app.get<{ Params: IdTagParams }>('/id-tags/:idTag', { schema: getIdTagSchema }, async (request) => {
    const tag = await deps.idTags.get(request.params.idTag);
    if (!tag) throw notFound(request.params.idTag);
    return tag;
  });

  // PUT replaces the whole tag: a field left out becomes null, so the stored tag is exactly what was sent.
  app.put<{ Params: IdTagParams; Body: PutBody }>('/id-tags/:idTag', { schema: putIdTagSchema }, async (request, reply) => {
    const { idTag } = request.params;
    const body = request.body;
    const existed = (await deps.idTags.get(idTag)) !== null;
    const saved = await deps.idTags.put({
      idTag,
      status: body.status,
      expiryDate: body.expiryDate ? toUtcIso(body.expiryDate) : null,
      parentIdTag: body.parentIdTag ?? null,
      maxActiveTransactions: body.maxActiveTransactions ?? null,
      label: body.label ?? null,
      idTokenType: body.idTokenType ?? null,
    });
    if (!existed) reply.code(201).header('location', `${request.url.split('?')[0]}`);
    return saved;
  });

  app.delete<{ Params: IdTagParams }>('/id-tags/:idTag', { schema: deleteIdTagSchema }, async (request, reply) => {
    if (!(await deps.idTags.delete(request.params.idTag))) throw notFound(request.params.idTag);
    return reply.code(204).send();
  });
}
