// Last-seen times: gathered from the connections' own activity stamps and written in bulk every few
// seconds, so no charger message pays for a write that is not money.
import type { Logger } from 'pino';
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import type { Clock } from '../domain/ports.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

const FLUSH_INTERVAL_MS = 5000;

export function startPresence(rpc: RpcServer, registry: ChargerRegistry, clock: Clock, logger: Logger) {
  let lastFlush = 0;
  const flush = async () => {
    const since = lastFlush;
    lastFlush = clock.now().getTime();
    for (const connection of rpc.connections()) {
      if (connection.lastActivityAt >= since) registry.touch(connection.identity);
    }
    try {
      await registry.flushSeen(clock.now());
    } catch (error) {
      logger.warn({ err: error }, 'could not record last-seen times');
    }
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
