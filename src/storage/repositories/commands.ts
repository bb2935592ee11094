// The command log: every call sent to a charger and how it ended, read per charger newest first.
import type { Kysely, Selectable } from 'kysely';
import type { CommandOutcome, CommandRecord, CommandRecordInput, Page, PageQuery } from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { CommandsTable, Database } from '../tables.js';

function toCommand(row: Selectable<CommandsTable>): CommandRecord {
  return {
    id: Number(row.id),
    chargePointId: row.charge_point_id,
    action: row.action,
    payload: JSON.parse(row.payload),
    answer: row.answer === null ? null : JSON.parse(row.answer),
    status: row.status as CommandOutcome,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    requestedAt: row.requested_at,
    answeredAt: row.answered_at,
    durationMs: Number(row.duration_ms),
  };
}

export async function recordCommand(db: Kysely<Database>, input: CommandRecordInput): Promise<void> {
  await db
    .insertInto('commands')
    .values({
      charge_point_id: input.chargePointId,
      action: input.action,
      payload: JSON.stringify(input.payload ?? null),
      answer: input.answer === null || input.answer === undefined ? null : JSON.stringify(input.answer),
      status: input.status,
      error_code: input.errorCode,
      error_message: input.errorMessage,
      requested_at: input.requestedAt,
      answered_at: input.answeredAt,
      duration_ms: Math.round(input.durationMs),
    })
    .execute();
}

export async function listCommands(db: Kysely<Database>, chargePointId: string, query: PageQuery): Promise<Page<CommandRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('commands').selectAll().where('charge_point_id', '=', chargePointId).orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  return toPage(await select.execute(), query.limit, toCommand, (row) => Number(row.id));
}
