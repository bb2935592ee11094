// ChargerGateway over this process's own connections. (Routing to other processes comes with scale-out.)
import type { ChargerGateway } from '../domain/ports.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

export class LocalChargerGateway implements ChargerGateway {
  constructor(
    private readonly rpc: RpcServer,
    private readonly defaultTimeoutMs: number,
  ) {}

  isConnected(chargePointId: string): boolean {
    return this.rpc.get(chargePointId)?.isOpen ?? false;
  }

  protocolOf(chargePointId: string): string | null {
    return this.rpc.get(chargePointId)?.protocol ?? null;
  }

  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const connection = this.rpc.get(chargePointId);
    if (!connection) return Promise.reject(new Error(`charger ${chargePointId} is not connected`));
    return connection.call(action, payload, { timeoutMs: options?.timeoutMs ?? this.defaultTimeoutMs });
  }
}
