// Charge points and their connectors: boots and status reports from chargers, registrations from the API.
import type { Kysely, Selectable } from 'kysely';
import type {
  BootRecordInput,
  ChargePointInput,
  ChargePointRecord,
  ConnectorRecord,
  Page,
  PageQuery,
  RegistrationStatus,
  SecurityProfile,
  StatusRecordInput,
} from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { ChargePointsTable, ConnectorsTable, Database } from '../tables.js';
import type { BootRow } from '../batch-buffers.js';

type Db = Kysely<Database>;

function toConnector(row: Selectable<ConnectorsTable>): ConnectorRecord {
  return {
    evseId: row.evse_id === 0 ? null : row.evse_id,
    connectorId: row.connector_id,
    status: row.status,
    errorCode: row.error_code,
    info: row.info,
    vendorErrorCode: row.vendor_error_code,
    updatedAt: row.updated_at,
  };
}

function toChargePoint(row: Selectable<ChargePointsTable>, connectors: ConnectorRecord[]): ChargePointRecord {
  return {
    id: row.id,
    protocol: row.protocol,
    vendor: row.vendor,
    model: row.model,
    serialNumber: row.serial_number,
    firmwareVersion: row.firmware_version,
    registrationStatus: row.registration_status as RegistrationStatus,
    lastSeenAt: row.last_seen_at,
    createdAt: row.created_at,
    connectors,
    passwordHash: row.password_hash,
    protocols: row.protocols === null ? null : (JSON.parse(row.protocols) as string[]),
    soapEndpoint: row.soap_endpoint,
    securityProfile: row.security_profile as SecurityProfile,
    pendingPasswordHash: row.pending_password_hash ?? null,
    pendingSecurityProfile: (row.pending_security_profile ?? null) as SecurityProfile | null,
  };
}

async function connectorsOf(db: Db, ids: string[]): Promise<Map<string, ConnectorRecord[]>> {
  const byCharger = new Map<string, ConnectorRecord[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byCharger;
  const rows = await db.selectFrom('connectors').selectAll().where('charge_point_id', 'in', ids).orderBy('evse_id').orderBy('connector_id').execute();
  for (const row of rows) byCharger.get(row.charge_point_id)?.push(toConnector(row));
  return byCharger;
}

export async function getChargePoint(db: Db, id: string): Promise<ChargePointRecord | null> {
  const row = await db.selectFrom('charge_points').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return toChargePoint(row, (await connectorsOf(db, [id])).get(id) ?? []);
}

export async function listChargePoints(db: Db, query: PageQuery): Promise<Page<ChargePointRecord>> {
  const after = decodeCursor(query.cursor, 'string');
  let select = db.selectFrom('charge_points').selectAll().orderBy('id').limit(query.limit + 1);
  if (after !== null) select = select.where('id', '>', after);
  const rows = await select.execute();
  const connectors = await connectorsOf(db, rows.slice(0, query.limit).map((r) => r.id));
  return toPage(rows, query.limit, (row) => toChargePoint(row, connectors.get(row.id) ?? []), (row) => row.id);
}

export async function putChargePoint(db: Db, input: ChargePointInput, now: string): Promise<void> {
  const changes = {
    ...(input.registrationStatus !== undefined ? { registration_status: input.registrationStatus } : {}),
    ...(input.vendor !== undefined ? { vendor: input.vendor } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.passwordHash !== undefined ? { password_hash: input.passwordHash } : {}),
    ...(input.protocols !== undefined ? { protocols: input.protocols === null ? null : JSON.stringify(input.protocols) } : {}),
    ...(input.soapEndpoint !== undefined ? { soap_endpoint: input.soapEndpoint } : {}),
    ...(input.securityProfile !== undefined ? { security_profile: input.securityProfile } : {}),
    ...(input.pendingPasswordHash !== undefined ? { pending_password_hash: input.pendingPasswordHash } : {}),
    ...(input.pendingSecurityProfile !== undefined ? { pending_security_profile: input.pendingSecurityProfile } : {}),
    updated_at: now,
  };
  await db
    .insertInto('charge_points')
    .values({
      id: input.id,
      registration_status: input.registrationStatus ?? 'Accepted',
      vendor: input.vendor ?? null,
      model: input.model ?? null,
      password_hash: input.passwordHash ?? null,
      protocols: input.protocols ? JSON.stringify(input.protocols) : null,
      soap_endpoint: input.soapEndpoint ?? null,
      security_profile: input.securityProfile ?? 0,
      pending_password_hash: input.pendingPasswordHash ?? null,
      pending_security_profile: input.pendingSecurityProfile ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

export async function deleteChargePoint(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('charge_points').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('connectors').where('charge_point_id', '=', id).execute();
  return Number(result.numDeletedRows) > 0;
}

/** The row a boot writes: its charger inserted, or the boot columns of its existing row (batch-buffers.ts). */
export function bootRow(input: BootRecordInput): BootRow {
  return {
    id: input.id,
    protocol: input.protocol,
    vendor: input.vendor,
    model: input.model,
    serial_number: input.serialNumber,
    firmware_version: input.firmwareVersion,
    registration_status: input.registrationStatus,
    booted_at: input.bootedAt,
    last_seen_at: input.bootedAt,
    updated_at: input.bootedAt,
    created_at: input.bootedAt,
  };
}

/** Returns whether the connector's current status changed (not a repeat, not an older status replayed). */
export async function recordStatus(db: Db, input: StatusRecordInput, receivedAt: string): Promise<boolean> {
  await db
    .insertInto('status_history')
    .values({
      charge_point_id: input.chargePointId,
      evse_id: input.evseId,
      connector_id: input.connectorId,
      status: input.status,
      error_code: input.errorCode,
      info: input.info,
      vendor_id: input.vendorId,
      vendor_error_code: input.vendorErrorCode,
      timestamp: input.timestamp,
      received_at: receivedAt,
    })
    .execute();
  const current = {
    status: input.status,
    error_code: input.errorCode,
    info: input.info,
    vendor_error_code: input.vendorErrorCode,
    updated_at: input.timestamp,
  };
  const before = await db
    .selectFrom('connectors')
    .select(['status', 'error_code', 'info', 'vendor_error_code'])
    .where('charge_point_id', '=', input.chargePointId)
    .where('evse_id', '=', input.evseId ?? 0)
    .where('connector_id', '=', input.connectorId)
    .executeTakeFirst();
  const applied = await db
    .insertInto('connectors')
    .values({ charge_point_id: input.chargePointId, evse_id: input.evseId ?? 0, connector_id: input.connectorId, ...current })
    .onConflict((oc) =>
      oc
        .columns(['charge_point_id', 'evse_id', 'connector_id'])
        .doUpdateSet(current)
        // An old status replayed from an offline charger's queue goes to the history, not over a newer one.
        .where('connectors.updated_at', '<=', input.timestamp),
    )
    .returning('connector_id')
    .executeTakeFirst();
  if (!applied) return false;
  return !before || (['status', 'error_code', 'info', 'vendor_error_code'] as const).some((key) => before[key] !== current[key]);
}

export async function markSeen(db: Db, ids: string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db.updateTable('charge_points').set({ last_seen_at: at }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}
