// GET /metrics in the Prometheus text format (PRODUCT.md "Other endpoints"): process metrics, connected
// chargers and group-commit activity, read when scraped rather than counted on the hot path.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RpcServer } from '../ocpp/rpc/server.js';
import type { GroupCommitStats } from '../storage/unit-of-work.js';

export function registerMetrics(app: FastifyInstance, sources: { rpc: RpcServer; groupCommit: GroupCommitStats }): void {
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
  const commits = new Counter({ name: 'voltgate_storage_commits_total', help: 'Group commits (database transactions) of charger writes', registers: [registry] });
  const writes = new Counter({ name: 'voltgate_storage_writes_total', help: 'Charger writes committed; writes per commit is the batching factor', registers: [registry] });
  let seen = { commits: 0, writes: 0 };
  const catchUp = () => {
    commits.inc(sources.groupCommit.commits - seen.commits);
    writes.inc(sources.groupCommit.writes - seen.writes);
    seen = { ...sources.groupCommit };
  };

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    catchUp();
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
