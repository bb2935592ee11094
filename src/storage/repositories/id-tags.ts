// The ID tag whitelist. Keyed by the upper-cased tag (OCPP idTags are case-insensitive); the tag keeps
// the spelling it was created with.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { IdTagBulkOptions, IdTagInput, IdTagListQuery, IdTagRecord, IdTagStatus, Page } from '../../domain/ports.js';
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
    idTokenType: row.id_token_type,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getIdTag(db: Db, idTag: string): Promise<IdTagRecord | null> {
  const row = await db.selectFrom('id_tags').selectAll().where('id_tag_key', '=', keyOf(idTag)).executeTakeFirst();
  return row ? toIdTag(row) : null;
}

export async function listIdTags(db: Db, query: IdTagListQuery): Promise<Page<IdTagRecord>> {
  const after = decodeCursor(query.cursor, 'string');
  let select = db.selectFrom('id_tags').selectAll().orderBy('id_tag_key').limit(query.limit + 1);
  if (after !== null) select = select.where('id_tag_key', '>', after);
  if (query.status) select = select.where('status', '=', query.status);
  // upper() on both sides so the comparison is the engine's own, whatever characters the tag holds.
  if (query.parentIdTag) select = select.where(sql<boolean>`upper(parent_id_tag) = upper(${query.parentIdTag})`);
  // substr() rather than LIKE: no wildcard to escape, and the same meaning on both engines.
  if (query.q) {
    const prefix = keyOf(query.q);
    select = select.where(sql<boolean>`substr(id_tag_key, 1, ${[...prefix].length}) = ${prefix}`);
  }
  return toPage(await select.execute(), query.limit, toIdTag, (row) => row.id_tag_key);
}

export async function allIdTags(db: Db): Promise<IdTagRecord[]> {
  return (await db.selectFrom('id_tags').selectAll().orderBy('id_tag_key').execute()).map(toIdTag);
}

/** The columns a write sets from an input (all but the key and created_at). */
function columnsOf(input: IdTagInput, now: string) {
  return {
    id_tag: input.idTag,
    status: input.status,
    expiry_date: input.expiryDate,
    parent_id_tag: input.parentIdTag,
    max_active_transactions: input.maxActiveTransactions,
    label: input.label,
    id_token_type: input.idTokenType,
    updated_at: now,
  };
}

export async function putIdTag(db: Db, input: IdTagInput, now: string): Promise<IdTagRecord> {
  const fields = columnsOf(input, now);
  await db
    .insertInto('id_tags')
    .values({ id_tag_key: keyOf(input.idTag), ...fields, created_at: now })
    .onConflict((oc) => oc.column('id_tag_key').doUpdateSet(fields))
    .execute();
  const saved = await getIdTag(db, input.idTag);
  if (!saved) throw new Error(`id tag ${input.idTag} vanished after it was written`);
  return saved;
}

// 10 parameters a row: 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
const BULK_CHUNK = 500;

const COLUMN_OF = {
  expiryDate: 'expiry_date',
  parentIdTag: 'parent_id_tag',
  maxActiveTransactions: 'max_active_transactions',
  label: 'label',
  idTokenType: 'id_token_type',
} as const;

/**
 * Creates or replaces many tags with one multi-row upsert per chunk; the caller's transaction makes it
 * all or nothing. The existing keys of each chunk are read first, to tell created from updated.
 */
export async function putIdTags(
  db: Db,
  inputs: IdTagInput[],
  now: string,
  options: IdTagBulkOptions = {},
): Promise<{ created: number; updated: number }> {
  // The last spelling of a key wins: a statement may not touch one row twice (PostgreSQL refuses it).
  const byKey = new Map<string, Insertable<IdTagsTable>>();
  for (const input of inputs) {
    byKey.set(keyOf(input.idTag), { id_tag_key: keyOf(input.idTag), ...columnsOf(input, now), created_at: now });
  }
  const keep = new Set<string>((options.keep ?? []).map((field) => COLUMN_OF[field]));
  const replaced = (['id_tag', 'status', 'expiry_date', 'parent_id_tag', 'max_active_transactions', 'label', 'id_token_type', 'updated_at'] as const)
    .filter((column) => !keep.has(column));
  const rows = [...byKey.values()];
  let updated = 0;
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const chunk = rows.slice(i, i + BULK_CHUNK);
    const existing = await db
      .selectFrom('id_tags')
      .select(db.fn.countAll<number | string | bigint>().as('n'))
      .where('id_tag_key', 'in', chunk.map((row) => row.id_tag_key))
      .executeTakeFirstOrThrow();
    updated += Number(existing.n);
    await db
      .insertInto('id_tags')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('id_tag_key').doUpdateSet((eb) => Object.fromEntries(replaced.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
  return { created: rows.length - updated, updated };
}

export async function deleteIdTag(db: Db, idTag: string): Promise<boolean> {
  const result = await db.deleteFrom('id_tags').where('id_tag_key', '=', keyOf(idTag)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
