// The authorization decision log: appended in bulk with the group commit, read newest first.
import type { Kysely, Selectable } from 'kysely';
import type {
  AuthorizationDecisionFilter,
  AuthorizationDecisionInput,
  AuthorizationDecisionRecord,
  AuthorizationStatus,
  DecisionReason,
  DecisionSource,
  Page,
  PageQuery,
} from '../../domain/ports.js';
import { decodeCursor, toPage } from '../cursor.js';
import type { AuthorizationDecisionsTable, Database } from '../tables.js';
import type { BatchBuffers } from '../unit-of-work.js';

function toDecision(row: Selectable<AuthorizationDecisionsTable>): AuthorizationDecisionRecord {
  return {
    id: Number(row.id),
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    reason: row.reason as DecisionReason,
    status: row.status as AuthorizationStatus,
    source: row.source as DecisionSource,
    detail: row.detail,
    decidedAt: row.decided_at,
    idTokenType: row.id_token_type,
  };
}

export function bufferDecision(buffers: BatchBuffers, input: AuthorizationDecisionInput): void {
  buffers.decisions.push({
    charge_point_id: input.chargePointId,
    connector_id: input.connectorId,
    id_tag: input.idTag,
    id_tag_key: input.idTag.toUpperCase(),
    reason: input.reason,
    status: input.status,
    source: input.source,
    detail: input.detail,
    decided_at: input.decidedAt,
    id_token_type: input.idTokenType,
  });
}

export async function listDecisions(db: Kysely<Database>, filter: AuthorizationDecisionFilter, query: PageQuery): Promise<Page<AuthorizationDecisionRecord>> {
  const before = decodeCursor(query.cursor, 'number');
  let select = db.selectFrom('authorization_decisions').selectAll().orderBy('id', 'desc').limit(query.limit + 1);
  if (before !== null) select = select.where('id', '<', before);
  if (filter.chargePointId !== undefined) select = select.where('charge_point_id', '=', filter.chargePointId);
  if (filter.idTag !== undefined) select = select.where('id_tag_key', '=', filter.idTag.toUpperCase());
  if (filter.source !== undefined) select = select.where('source', '=', filter.source);
  if (filter.from !== undefined) select = select.where('decided_at', '>=', filter.from);
  if (filter.to !== undefined) select = select.where('decided_at', '<', filter.to);
  return toPage(await select.execute(), query.limit, toDecision, (row) => Number(row.id));
}
