// Connects, disconnects and silence: each connect and disconnect (with its close code and reason) is kept in
// the charger's connection history with its event, and a charger not heard from (no message, no pong) for
// longer than the limit is reported offline once, until it is heard from again. A charger without a lasting
// connection (SOAP) is watched by its requests alone: it is present while heard from within the same limit.
import type { Logger } from 'pino';
import type { Clock, ConnectionRepository, EventFactory, EventRepository } from '../domain/ports.js';
import type { DisconnectInfo, RpcServer } from '../ocpp/rpc/server.js';

interface Seen {
  connection: { lastActivityAt: number } | null;
  /** When the charger was last heard from, once it is disconnected. */
  lastAt: number;
  offline: boolean;
}

export function startConnectivity(options: {
  rpc: RpcServer;
  connections: ConnectionRepository;
  outbox: Pick<EventRepository, 'append'>;
  events: EventFactory;
  clock: Clock;
  offlineAfterMs: number;
  logger: Logger;
}) {
  const { rpc, connections, outbox, events, clock, offlineAfterMs, logger } = options;
  const chargers = new Map<string, Seen>();
  const pending = new Set<Promise<void>>();
  const write = (promise: Promise<void>, chargePointId: string) => {
    const tracked = promise
      .catch((error: unknown) => logger.warn({ err: error, chargePointId }, 'could not record a connection change'))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  rpc.on('connection', (connection: { identity: string; protocol: string; lastActivityAt: number }) => {
    chargers.set(connection.identity, { connection, lastAt: connection.lastActivityAt, offline: false });
    const at = clock.now().toISOString();
    const event = events.create('charge_point.connected', { chargePointId: connection.identity, protocol: connection.protocol, connectedAt: at });
    write(connections.record({ chargePointId: connection.identity, kind: 'connected', at, protocol: connection.protocol, code: null, reason: null }, [event]), connection.identity);
  });
  rpc.on('disconnect', (connection: { identity: string; protocol: string; lastActivityAt: number }, info: DisconnectInfo) => {
    const seen = chargers.get(connection.identity);
    // A replaced connection's successor is already registered: keep watching the new one.
    if (seen && seen.connection === connection) {
      seen.connection = null;
      seen.lastAt = connection.lastActivityAt;
    }
    const at = clock.now().toISOString();
    const reason = info.replaced ? 'replaced by a new connection' : info.reason || null;
    const event = events.create('charge_point.disconnected', { chargePointId: connection.identity, code: info.code, reason, disconnectedAt: at });
    write(connections.record({ chargePointId: connection.identity, kind: 'disconnected', at, protocol: connection.protocol, code: info.code, reason }, [event]), connection.identity);
  });

  const check = () => {
    const now = clock.now().getTime();
    for (const [chargePointId, seen] of chargers) {
      const lastAt = seen.connection ? seen.connection.lastActivityAt : seen.lastAt;
      const silent = now - lastAt > offlineAfterMs;
      if (!silent) {
        seen.offline = false;
        continue;
      }
      if (seen.offline) continue;
      seen.offline = true;
      const event = events.create('charge_point.offline', {
        chargePointId,
        connected: seen.connection !== null,
        lastSeenAt: new Date(lastAt).toISOString(),
        offlineAfterS: offlineAfterMs / 1000,
      });
      write(outbox.append([event]), chargePointId);
    }
  };
  // Checked a few times per limit, so the event goes out at most a quarter of the limit late (and never more than 5 s).
  const timer = setInterval(check, Math.max(100, Math.min(5000, offlineAfterMs / 4)));
  timer.unref();
  return {
    isOffline: (chargePointId: string) => chargers.get(chargePointId)?.offline ?? false,
    /**
     * A request from a charger that holds no connection (SOAP): it counts as heard from now. True when it was not
     * present before (first heard, or back after a silence longer than the limit), as a reconnection is for others.
     */
    heardFrom(chargePointId: string): boolean {
      const seen = chargers.get(chargePointId);
      if (seen?.connection) return false;
      const now = clock.now().getTime();
      if (!seen) {
        chargers.set(chargePointId, { connection: null, lastAt: now, offline: false });
        return true;
      }
      const returned = now - seen.lastAt > offlineAfterMs;
      seen.lastAt = now;
      seen.offline = false;
      return returned;
    },
    /** Chargers without a connection now that were heard from within the limit (SOAP chargers, and the recently disconnected). */
    heardWithoutConnection(): string[] {
      const now = clock.now().getTime();
      const ids: string[] = [];
      for (const [chargePointId, seen] of chargers) if (!seen.connection && now - seen.lastAt <= offlineAfterMs) ids.push(chargePointId);
      return ids;
    },
    /** Heard from within the limit, by a connection or a request. */
    isPresent(chargePointId: string): boolean {
      const seen = chargers.get(chargePointId);
      if (!seen) return false;
      return clock.now().getTime() - (seen.connection ? seen.connection.lastActivityAt : seen.lastAt) <= offlineAfterMs;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}
