// ChargerGateway over this process's own connections. (Routing to other processes comes with scale-out.)
import { ChargerCallError, ChargerNotConnectedError, ChargerTimeoutError } from '../domain/commands/errors.js';
import type { ChargerGateway } from '../domain/ports.js';
import { CallError, CallTimeoutError, ConnectionClosedError } from '../ocpp/rpc/errors.js';
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

  /** Rejects with the domain's errors (domain/commands/errors.ts), so callers never see the transport's. */
  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const connection = this.rpc.get(chargePointId);
    if (!connection?.isOpen) return Promise.reject(new ChargerNotConnectedError(chargePointId));
    const timeoutMs = options?.timeoutMs ?? this.defaultTimeoutMs;
    return connection
      .call(action, payload, { timeoutMs })
      .catch((error: unknown) => Promise.reject(translateCallError(chargePointId, action, timeoutMs, error)));
  }
}

/** The rpc layer's errors in the domain's words; anything else (our own payload failing its schema) is a bug and passes as is. */
function translateCallError(chargePointId: string, action: string, timeoutMs: number, error: unknown): unknown {
  if (error instanceof CallTimeoutError) return new ChargerTimeoutError(chargePointId, action, timeoutMs);
  if (error instanceof CallError) return new ChargerCallError(chargePointId, action, error.code, error.message);
  if (error instanceof ConnectionClosedError) {
    return new ChargerNotConnectedError(chargePointId, `charge point '${chargePointId}' disconnected before it answered ${action}`);
  }
  return error;
}
