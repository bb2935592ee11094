// SIGINT/SIGTERM: stop taking connections, let the pending group commit land, close chargers with 1001, then
// exit; within VOLTGATE_SHUTDOWN_TIMEOUT_MS whatever happens (a database that does not answer included).
import type { VoltgateServer } from './create-server.js';

export function closeOnSignals(server: VoltgateServer, timeoutMs: number): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    server.logger.info({ signal, timeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      server.logger.error({ timeoutMs }, 'shutdown took longer than VOLTGATE_SHUTDOWN_TIMEOUT_MS: exiting now');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
