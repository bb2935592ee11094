// The ID tag whitelist. Keyed by the upper-cased tag (OCPP idTags are case-insensitive); the tag keeps
// the spelling it was created with.
import type { Kysely, Selectable } from 'kysely';
import type { IdTagInput, IdTagRecord, IdTagStatus, Page, PageQuery } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { Database, IdTagsTable } from '../tables.js';

type Db = Kysely<Database>;

const keyOf = (idTag: string) => idTag.toUpperCase();

function toIdTag(row: Selectable<IdTagsTable>): IdTagRecord {
  return {
    idTag: row.id_tag,
    status: row.status as IdTagStatus,
    expiryDate: row.expiry_date,
    parentIdTag: row.parent_id_tag,
    maxActiveTransactions: row.max_active_transactions,
    label: row.label,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getIdTag(db: Db, idTag: string): Promise<IdTagRecord | null> {
  const row = await db.selectFrom('id_tags').selectAll().where('id_tag_key', '=', keyOf(idTag)).executeTakeFirst();
  return row ? toIdTag(row) : null;
}

export async function listIdTags(db: Db, query: PageQuery & { status?: IdTagStatus }): Promise<Page<IdTagRecord>> {
  const after = decodeCursor(query.cursor, 'string');
  let select = db.selectFrom('id_tags').selectAll().orderBy('id_tag_key').limit(query.limit + 1);
  if (after !== null) select = select.where('id_tag_key', '>', after);
  if (query.status) select = select.where('status', '=', query.status);
  return toPage(await select.execute(), query.limit, toIdTag, (row) => row.id_tag_key);
}

export async function allIdTags(db: Db): Promise<IdTagRecord[]> {
  return (await db.selectFrom('id_tags').selectAll().orderBy('id_tag_key').execute()).map(toIdTag);
}

export async function putIdTag(db: Db, input: IdTagInput, now: string): Promise<IdTagRecord> {
  const fields = {
    id_tag: input.idTag,
    status: input.status,
    expiry_date: input.expiryDate,
    parent_id_tag: input.parentIdTag,
    max_active_transactions: input.maxActiveTransactions,
    label: input.label,
    updated_at: now,
  };
  await db
    .insertInto('id_tags')
    .values({ id_tag_key: keyOf(input.idTag), ...fields, created_at: now })
    .onConflict((oc) => oc.column('id_tag_key').doUpdateSet(fields))
    .execute();
  const saved = await getIdTag(db, input.idTag);
  if (!saved) throw new Error(`id tag ${input.idTag} vanished after it was written`);
  return saved;
}

export async function deleteIdTag(db: Db, idTag: string): Promise<boolean> {
  const result = await db.deleteFrom('id_tags').where('id_tag_key', '=', keyOf(idTag)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
