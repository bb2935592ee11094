// Last-seen times: gathered from the connections' own activity stamps and written in bulk every half
// minute, so no charger message pays for a write that is not money, and a thousand-row update is rare enough
// never to show in the answers' latency (docs/BENCHMARKS.md). The exact moment a charger disconnects is written
// with its connection-history row (storage's batch buffers), not a statement of its own.
import type { Logger } from 'pino';
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import type { Clock } from '../domain/ports.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

const FLUSH_INTERVAL_MS = 30_000;

export function startPresence(rpc: RpcServer, registry: ChargerRegistry, clock: Clock, logger: Logger) {
  let lastFlush = 0;
  const warn = (error: unknown) => logger.warn({ err: error }, 'could not record last-seen times');
  const flush = async () => {
    const since = lastFlush;
    lastFlush = clock.now().getTime();
    for (const connection of rpc.connections()) {
      if (connection.lastActivityAt >= since) registry.touch(connection.identity);
    }
    await registry.flushSeen(clock.now()).catch(warn);
  };
  rpc.on('connection', (connection: { identity: string }) => registry.touch(connection.identity));
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
