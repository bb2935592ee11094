// The certificates chargers hold, newest first per charger; the ones about to expire, for their one warning.
import type { Kysely, Selectable } from 'kysely';
import type { ChargerCertificateInput, ChargerCertificateRecord, IsoTime, Page, PageQuery } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { ChargerCertificatesTable, Database } from '../tables.js';

type Db = Kysely<Database>;

function toRecord(row: Selectable<ChargerCertificatesTable>): ChargerCertificateRecord {
  return {
    id: Number(row.id),
    chargePointId: row.charge_point_id,
    serialNumber: row.serial_number,
    subject: row.subject,
    issuer: row.issuer,
    notBefore: row.not_before,
    notAfter: row.not_after,
    source: row.source as ChargerCertificateRecord['source'],
    recordedAt: row.recorded_at,
    expiryWarnedAt: row.expiry_warned_at,
  };
}

/** Kept once per charger, issuer and serial number: a certificate presented at every reconnect is one row. */
export async function recordChargerCertificate(db: Db, input: ChargerCertificateInput): Promise<void> {
  await db
    .insertInto('charger_certificates')
    .values({
      charge_point_id: input.chargePointId,
      serial_number: input.serialNumber,
      subject: input.subject,
      issuer: input.issuer,
      not_before: input.notBefore,
      not_after: input.notAfter,
      source: input.source,
      recorded_at: input.recordedAt,
      expiry_warned_at: null,
    })
    .onConflict((oc) => oc.columns(['charge_point_id', 'issuer', 'serial_number']).doNothing())
    .execute();
}

export async function listChargerCertificates(db: Db, chargePointId: string, query: PageQuery): Promise<Page<ChargerCertificateRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('charger_certificates').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toRecord, (row) => Number(row.id));
}

/** Certificates that expire before `before` and were not warned of yet, soonest first. */
export async function unwarnedExpiringBefore(db: Db, before: IsoTime, limit: number): Promise<ChargerCertificateRecord[]> {
  const rows = await db.selectFrom('charger_certificates').selectAll().where('not_after', '<', before).where('expiry_warned_at', 'is', null).orderBy('not_after').limit(limit).execute();
  return rows.map(toRecord);
}

export async function markExpiryWarned(db: Db, id: number, at: IsoTime): Promise<void> {
  await db.updateTable('charger_certificates').set({ expiry_warned_at: at }).where('id', '=', id).execute();
}
