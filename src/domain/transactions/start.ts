// StartTransaction: always recorded and always given a transaction id, whatever the tag's status
// (OCPP 1.6 §4.8; CONFORMANCE 53–55). A retry of the same start gets the same id and the same answer.
import { normaliseChargerTime } from '../time.js';
import type { IdTagInfo } from '../authorization/decide.js';
import type { IdTagTable } from '../authorization/id-tag-table.js';
import type { Clock, TransactionRepository } from '../ports.js';

export interface StartInput {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}

export interface StartAnswer {
  transactionId: number;
  idTagInfo: IdTagInfo;
}

export async function startTransaction(
  deps: { transactions: TransactionRepository; idTags: IdTagTable; clock: Clock },
  input: StartInput,
): Promise<StartAnswer> {
  const now = deps.clock.now();
  let idTagInfo = deps.idTags.decide(input.idTag, now);
  const tag = deps.idTags.lookup(input.idTag);
  if (idTagInfo.status === 'Accepted' && tag?.maxActiveTransactions != null) {
    const active = await deps.transactions.countActiveForTag(input.idTag);
    if (active >= tag.maxActiveTransactions) idTagInfo = { ...idTagInfo, status: 'ConcurrentTx' };
  }
  const time = normaliseChargerTime(input.timestamp, now);
  const flags = [...time.flags];
  if (idTagInfo.status !== 'Accepted') flags.push(`tag-${idTagInfo.status.toLowerCase()}`);
  const result = await deps.transactions.start({
    chargePointId: input.chargePointId,
    connectorId: input.connectorId,
    idTag: input.idTag,
    meterStartWh: input.meterStart,
    startedAt: time.iso,
    reservationId: input.reservationId ?? null,
    authorizationStatus: idTagInfo.status,
    flags,
  });
  if (result.duplicate && result.authorizationStatus !== idTagInfo.status) {
    // The charger already acted on the first answer: repeat it rather than contradict it.
    idTagInfo = { ...idTagInfo, status: result.authorizationStatus };
  }
  return { transactionId: result.transactionId, idTagInfo };
}
