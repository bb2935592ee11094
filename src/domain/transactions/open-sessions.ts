// A station that reconnects while Voltgate holds sessions of it open: each session of the station's own naming
// is asked after (2.x: GetTransactionStatus, E14). A session the station no longer runs and holds no message
// about has ended without Voltgate hearing it: it is flagged for an operator's look, never closed on a guess.
import type { ChargerGateway, Log, TransactionRepository } from '../ports.js';

export const ENDED_UNREPORTED = 'ended-unreported';

export async function checkOpenSessions(
  deps: { gateway: Pick<ChargerGateway, 'send'>; transactions: Pick<TransactionRepository, 'list' | 'addFlags'>; log: Log },
  chargePointId: string,
): Promise<void> {
  const open = await deps.transactions.list({ chargePointId, active: true }, { limit: 100 });
  for (const session of open.items) {
    // Only a station that names its sessions can be asked about one.
    if (typeof session.chargerTransactionId !== 'string') continue;
    let state;
    try {
      state = await deps.gateway.send(chargePointId, { kind: 'readSessionState', chargerTransactionId: session.chargerTransactionId });
    } catch (error) {
      deps.log.info({ chargePointId, transactionId: session.id, err: error }, 'could not ask the station about an open session');
      continue;
    }
    if (state.ongoing === false && !state.messagesQueued && !session.flags.includes(ENDED_UNREPORTED)) {
      deps.log.warn({ chargePointId, transactionId: session.id }, 'the station no longer runs an open session and holds nothing about it: flagged');
      await deps.transactions.addFlags(session.id, [ENDED_UNREPORTED]);
    }
  }
}
