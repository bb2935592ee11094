// GET /metrics in the Prometheus text format (PRODUCT.md "Other endpoints"): process metrics, connected
// chargers and group-commit activity, read when scraped rather than counted on the hot path.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from '../domain/ports.js';
import type { RpcServer } from '../ocpp/rpc/server.js';
import type { GroupCommitStats } from '../storage/unit-of-work.js';
import { bearerAuth } from '../api/auth.js';

export function registerMetrics(
  app: FastifyInstance,
  sources: { rpc: RpcServer; groupCommit: GroupCommitStats; storage: Pick<Storage, 'availability' | 'heldWrites'> },
  /** The Bearer key /metrics asks for (the operator key, or a token of its own); null: anyone may read it. */
  key: string | null = null,
): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'voltgate_' });
  new Gauge({
    name: 'voltgate_chargers_connected',
    help: 'Chargers holding an OCPP connection to this process',
    registers: [registry],
    collect() {
      this.set(sources.rpc.connections().length);
    },
  });
  // What survives (PRODUCT.md): an alert on storage away, and how much waits to be written when it is back.
  new Gauge({
    name: 'voltgate_storage_up',
    help: 'Whether storage commits: 1 up, 0 while it is checked after a fault or down (money-bearing messages get InternalError)',
    registers: [registry],
    collect() {
      this.set(sources.storage.availability().state === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'voltgate_storage_held_writes',
    help: 'Writes no charger resends (status, connection history, decisions) held while storage is away',
    registers: [registry],
    collect() {
      this.set(sources.storage.heldWrites());
    },
  });
  const commits = new Counter({ name: 'voltgate_storage_commits_total', help: 'Group commits (database transactions) of charger writes', registers: [registry] });
  const writes = new Counter({ name: 'voltgate_storage_writes_total', help: 'Charger writes committed; writes per commit is the batching factor', registers: [registry] });
  let seen = { commits: 0, writes: 0 };
  const catchUp = () => {
    commits.inc(sources.groupCommit.commits - seen.commits);
    writes.inc(sources.groupCommit.writes - seen.writes);
    seen = { ...sources.groupCommit };
  };

  app.get('/metrics', { schema: { hide: true }, ...(key ? { onRequest: bearerAuth(key) } : {}) }, async (_request, reply) => {
    catchUp();
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
