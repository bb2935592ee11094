// Which sessions are open, per ID tag, kept in memory for the ConcurrentTx rule so a StartTransaction
// needs no count query (a query per start, and an index on stopped_at, cost a durable CSMS its tail
// latency: docs/BENCHMARKS.md). Loaded from storage at start and moved by every start and stop.
import { idTagKey } from '../authorization/id-tag-table.js';

export class ActiveSessions {
  private readonly byTag = new Map<string, Set<number>>();

  load(open: Array<{ id: number; idTag: string }>): void {
    this.byTag.clear();
    for (const session of open) this.opened(session.idTag, session.id);
  }

  count(idTag: string): number {
    return this.byTag.get(idTagKey(idTag))?.size ?? 0;
  }

  /** Idempotent: a retried StartTransaction names the same session. */
  opened(idTag: string, transactionId: number): void {
    const key = idTagKey(idTag);
    let ids = this.byTag.get(key);
    if (!ids) this.byTag.set(key, (ids = new Set()));
    ids.add(transactionId);
  }

  closed(idTag: string, transactionId: number): void {
    const key = idTagKey(idTag);
    const ids = this.byTag.get(key);
    if (!ids) return;
    ids.delete(transactionId);
    if (ids.size === 0) this.byTag.delete(key);
  }
}
