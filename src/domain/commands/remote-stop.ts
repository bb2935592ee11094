// Remote stop (PRODUCT.md; CONFORMANCE 44): refused before anything is sent when the transaction is unknown,
// belongs to another charger, or is already stopped, or when the charger's boot is not accepted (CONFORMANCE 34,
// ChargerNotAcceptedError); otherwise the charger's answer is returned as it is.
import type { ChargePointRepository, ChargerGateway, TransactionRepository } from '../ports.js';
import { requireAcceptedRegistration } from './errors.js';

export type RemoteStopRefusal = 'unknown-transaction' | 'other-charger' | 'already-stopped';

export class RemoteStopRefusedError extends Error {
  constructor(
    readonly refusal: RemoteStopRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteStopRefusedError';
  }
}

export async function remoteStop(
  deps: { gateway: ChargerGateway; transactions: Pick<TransactionRepository, 'get'>; chargePoints: Pick<ChargePointRepository, 'get'> },
  input: { chargePointId: string; transactionId: number },
): Promise<{ status: string }> {
  const transaction = await deps.transactions.get(input.transactionId);
  if (!transaction) throw new RemoteStopRefusedError('unknown-transaction', `transaction ${input.transactionId} not found`);
  if (transaction.chargePointId !== input.chargePointId) {
    throw new RemoteStopRefusedError('other-charger', `transaction ${input.transactionId} belongs to charge point '${transaction.chargePointId}', not '${input.chargePointId}'`);
  }
  if (transaction.status === 'Completed') throw new RemoteStopRefusedError('already-stopped', `transaction ${input.transactionId} is already stopped`);
  await requireAcceptedRegistration(deps.chargePoints, input.chargePointId, 'remote stop');
  const answer = await deps.gateway.send(input.chargePointId, { kind: 'stopSession', transactionId: input.transactionId, chargerTransactionId: transaction.chargerTransactionId });
  return { status: answer.status };
}
