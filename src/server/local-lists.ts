// Wires the Local Authorization List: the push logic over the gateway and storage, and the automatic sync
// (setting localListSync) fed by whitelist changes, (re)connections (for a SOAP charger: heard from again after a
// silence), boots and LocalListConflict reports.
import type { Config } from '../config/schema.js';
import type { IdTagTable } from '../domain/authorization/id-tag-table.js';
import type { ChargerRegistry } from '../domain/chargers/registry.js';
import { LocalListAutoSync } from '../domain/local-list/auto-sync.js';
import { LocalListSync } from '../domain/local-list/sync.js';
import type { ChargerGateway, ChargerSignals, Clock, Log, Storage } from '../domain/ports.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

export interface LocalLists {
  sync: LocalListSync;
  signals: ChargerSignals;
  /** A charger without a connection (SOAP) was heard from again after a silence: brought up to date as on a reconnection. */
  heardAgain(chargePointId: string): void;
  /** Stops starting new work (before the connections close). */
  stop(): void;
  /** Resolves once the work in progress has finished (before storage closes). */
  settled(): Promise<void>;
}

export function startLocalLists(deps: {
  config: Pick<Config, 'localListSync'>;
  storage: Pick<Storage, 'localLists'>;
  idTags: IdTagTable;
  registry: ChargerRegistry;
  rpc: RpcServer;
  /** Chargers present without a connection (SOAP): whitelist changes reach their lists too. */
  connectionlessChargers: () => string[];
  gateway: ChargerGateway;
  clock: Clock;
  logger: Log;
}): LocalLists {
  const { gateway, rpc, registry, clock, logger } = deps;
  const sync = new LocalListSync({
    gateway,
    lists: deps.storage.localLists,
    whitelist: (now) => deps.idTags.decideAll(now),
    clock,
    log: logger,
  });
  const auto = new LocalListAutoSync(
    {
      sync,
      connectedChargers: () => [...rpc.connections().map((connection) => connection.identity), ...deps.connectionlessChargers()],
      isConnected: (id) => gateway.isConnected(id),
      isAccepted: (id) => registry.registrationFor(id) === 'Accepted',
      clock,
      log: logger,
    },
    { enabled: deps.config.localListSync },
  );
  deps.idTags.onChange(auto.whitelistChanged);
  rpc.on('connection', (connection: { identity: string }) => auto.chargerConnected(connection.identity));
  return {
    sync,
    signals: auto,
    heardAgain: (chargePointId) => auto.chargerConnected(chargePointId),
    stop: () => auto.stop(),
    settled: () => auto.settled(),
  };
}
