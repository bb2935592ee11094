// /api/v1/id-tags: the whitelist. Writes go through deps.idTags (the domain's table) so decisions see them at once.
import type { FastifyInstance } from 'fastify';
import type { IdTagInput, IdTagStatus } from '../../domain/ports.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { toUtcIso } from '../time.js';
import { deleteIdTagSchema, getIdTagSchema, listIdTagsSchema, putIdTagSchema } from '../schemas/id-tags.js';

interface IdTagParams {
  idTag: string;
}

type PutBody = Partial<Omit<IdTagInput, 'idTag' | 'status'>> & { status: IdTagStatus };

const notFound = (idTag: string) => new ApiError(404, 'not_found', `ID tag '${idTag}' not found`);

export async function idTagRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'idTags'>) {
  app.get<{ Querystring: { limit: number; cursor?: string; status?: IdTagStatus } }>(
    '/id-tags',
    { schema: listIdTagsSchema },
    async (request) => {
      const { limit, cursor, status } = request.query;
      return deps.idTags.list({ limit, cursor: cursor ?? null, ...(status ? { status } : {}) });
    },
  );

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
    });
    if (!existed) reply.code(201).header('location', `${request.url.split('?')[0]}`);
    return saved;
  });

  app.delete<{ Params: IdTagParams }>('/id-tags/:idTag', { schema: deleteIdTagSchema }, async (request, reply) => {
    if (!(await deps.idTags.delete(request.params.idTag))) throw notFound(request.params.idTag);
    return reply.code(204).send();
  });
}
