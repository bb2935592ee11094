// Each charger's Local Authorization List as it acknowledged it: the version, whether it supports one, its
// limits, and the entries it holds at that version (what the next Differential is computed against).
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuthorizationStatus, ListToken, LocalListEntry, LocalListState } from '../../domain/ports.js';
import type { Database, LocalListEntriesTable, LocalListsTable } from '../tables.js';

type Db = Kysely<Database>;

const keyOf = (idTag: string) => idTag.toUpperCase();
// 6 parameters a row: 500 rows stay far below SQLite's and PostgreSQL's parameter limits.
const CHUNK = 500;

function toState(row: Selectable<LocalListsTable>): LocalListState {
  return {
    chargePointId: row.charge_point_id,
    listVersion: Number(row.list_version),
    notSupported: Number(row.not_supported) === 1,
    sendLocalListMaxLength: row.send_local_list_max_length === null ? null : Number(row.send_local_list_max_length),
    localAuthListMaxLength: row.local_auth_list_max_length === null ? null : Number(row.local_auth_list_max_length),
    limitsReadAt: row.limits_read_at,
    updatedAt: row.updated_at,
  };
}

function toEntry(row: Selectable<LocalListEntriesTable>): LocalListEntry {
  const idTagInfo: LocalListEntry['idTagInfo'] = { status: row.status as AuthorizationStatus };
  if (row.expiry_date !== null) idTagInfo.expiryDate = row.expiry_date;
  if (row.parent_id_tag !== null) idTagInfo.parentIdTag = row.parent_id_tag;
  return { idTag: row.id_tag, idTagInfo, idTokenType: row.id_token_type };
}

function toRow(chargePointId: string, entry: LocalListEntry): Insertable<LocalListEntriesTable> {
  return {
    charge_point_id: chargePointId,
    id_tag_key: keyOf(entry.idTag),
    id_tag: entry.idTag,
    status: entry.idTagInfo.status,
    expiry_date: entry.idTagInfo.expiryDate ?? null,
    parent_id_tag: entry.idTagInfo.parentIdTag ?? null,
    id_token_type: entry.idTokenType ?? null,
  };
}

export async function getLocalList(db: Db, chargePointId: string): Promise<LocalListState | null> {
  const row = await db.selectFrom('local_lists').selectAll().where('charge_point_id', '=', chargePointId).executeTakeFirst();
  return row ? toState(row) : null;
}

export async function localListEntries(db: Db, chargePointId: string): Promise<LocalListEntry[]> {
  const rows = await db.selectFrom('local_list_entries').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id_tag_key').execute();
  return rows.map(toEntry);
}

/** Creates the charger's row when it has none, then applies `changes` to it. */
async function upsertState(db: Db, chargePointId: string, changes: Partial<Omit<LocalListsTable, 'charge_point_id'>> & { updated_at: string }): Promise<void> {
  await db
    .insertInto('local_lists')
    .values({
      charge_point_id: chargePointId,
      list_version: 0,
      not_supported: 0,
      send_local_list_max_length: null,
      local_auth_list_max_length: null,
      limits_read_at: null,
      ...changes,
    })
    .onConflict((oc) => oc.column('charge_point_id').doUpdateSet(changes))
    .execute();
}

export async function recordAccepted(
  db: Db,
  input: { chargePointId: string; listVersion: number; updateType: 'Full' | 'Differential'; upserts: LocalListEntry[]; removals: ListToken[]; at: string },
): Promise<void> {
  const { chargePointId } = input;
  await upsertState(db, chargePointId, { list_version: input.listVersion, updated_at: input.at });
  if (input.updateType === 'Full') {
    await db.deleteFrom('local_list_entries').where('charge_point_id', '=', chargePointId).execute();
  } else {
    const keys = [...new Set(input.removals.map((token) => keyOf(token.idTag)))];
    for (let i = 0; i < keys.length; i += CHUNK) {
      await db
        .deleteFrom('local_list_entries')
        .where('charge_point_id', '=', chargePointId)
        .where('id_tag_key', 'in', keys.slice(i, i + CHUNK))
        .execute();
    }
  }
  // One row per key: a statement may not touch a row twice (PostgreSQL refuses it); the last spelling wins.
  const rows = [...new Map(input.upserts.map((entry) => [keyOf(entry.idTag), toRow(chargePointId, entry)])).values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('local_list_entries')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['charge_point_id', 'id_tag_key']).doUpdateSet((eb) => ({
          id_tag: eb.ref('excluded.id_tag'),
          status: eb.ref('excluded.status'),
          expiry_date: eb.ref('excluded.expiry_date'),
          parent_id_tag: eb.ref('excluded.parent_id_tag'),
          id_token_type: eb.ref('excluded.id_token_type'),
        })),
      )
      .execute();
  }
}

export async function recordNotSupported(db: Db, chargePointId: string, at: string): Promise<void> {
  await upsertState(db, chargePointId, { not_supported: 1, updated_at: at });
}

export async function recordLimits(
  db: Db,
  chargePointId: string,
  limits: { sendLocalListMaxLength: number | null; localAuthListMaxLength: number | null },
  at: string,
): Promise<void> {
  await upsertState(db, chargePointId, {
    send_local_list_max_length: limits.sendLocalListMaxLength,
    local_auth_list_max_length: limits.localAuthListMaxLength,
    limits_read_at: at,
    updated_at: at,
  });
}

/** A charger removed through the API takes its list state with it (there are no foreign keys to do it). */
export async function deleteLocalList(db: Db, chargePointId: string): Promise<void> {
  await db.deleteFrom('local_list_entries').where('charge_point_id', '=', chargePointId).execute();
  await db.deleteFrom('local_lists').where('charge_point_id', '=', chargePointId).execute();
}
