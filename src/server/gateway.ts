// ChargerGateway over this process's own connections (routing to other processes comes with scale-out): an
// intent is encoded in the dialect the charger negotiated, sent through the transport (which records it in the
// command history), and its answer decoded back into the domain's words.
import { ChargerCallError, ChargerFeatureNotSupportedError, ChargerNotConnectedError, ChargerTimeoutError } from '../domain/commands/errors.js';
import type { ChargerGateway, IntentAnswers, IntentKind, IntentOf } from '../domain/ports.js';
import { IntentNotExpressibleError, type DialectIntents } from '../ocpp/dialect.js';
import { CallError, CallTimeoutError, ConnectionClosedError } from '../ocpp/rpc/errors.js';
import type { RpcServer } from '../ocpp/rpc/server.js';

/** One message to a charger, by action name: what the dialect encoded. Rejects with the domain's errors. */
export interface ChargerTransport {
  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
}

/** Chargers without a lasting connection (SOAP): the dialect one speaks, and whether it was heard from lately. */
export interface ConnectionlessChargers {
  protocolOf(chargePointId: string): string | null;
  isPresent(chargePointId: string): boolean;
}

export class LocalChargerGateway implements ChargerGateway {
  constructor(
    private readonly rpc: RpcServer,
    private readonly transport: ChargerTransport,
    /** Each negotiated subprotocol's map. */
    private readonly dialects: Readonly<Record<string, DialectIntents>>,
    private readonly connectionless: ConnectionlessChargers = { protocolOf: () => null, isPresent: () => false },
  ) {}

  isConnected(chargePointId: string): boolean {
    if (this.rpc.get(chargePointId)?.isOpen) return true;
    return this.connectionless.protocolOf(chargePointId) !== null && this.connectionless.isPresent(chargePointId);
  }

  protocolOf(chargePointId: string): string | null {
    const connection = this.rpc.get(chargePointId);
    if (connection?.isOpen) return connection.protocol;
    return this.connectionless.protocolOf(chargePointId) ?? connection?.protocol ?? null;
  }

  async send<K extends IntentKind>(chargePointId: string, intent: IntentOf<K>, options?: { timeoutMs?: number }): Promise<IntentAnswers[K]> {
    const protocol = this.protocolOf(chargePointId);
    if (protocol === null || !this.isConnected(chargePointId)) throw new ChargerNotConnectedError(chargePointId);
    const dialect = this.dialects[protocol];
    if (!dialect) throw new Error(`no dialect map for ${protocol}`);
    const { action, payload } = encoded(chargePointId, dialect, intent);
    return dialect.decode(intent, await this.transport.call(chargePointId, action, payload, options));
  }
}

/** The intent in the charger's dialect; one the dialect has no message for is a feature the charger lacks. */
function encoded(chargePointId: string, dialect: DialectIntents, intent: IntentOf<IntentKind>) {
  try {
    return dialect.encode(intent);
  } catch (error) {
    if (error instanceof IntentNotExpressibleError) throw new ChargerFeatureNotSupportedError(chargePointId, intent.kind, error.message);
    throw error;
  }
}

/** A SOAP charger's calls, by the dialect it speaks (ocpp/soap/charge-point-client.ts). */
export interface SoapCalls {
  call(chargePointId: string, protocol: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
}

/** Each call over the charger's own way: its WebSocket connection, or HTTP to a SOAP charger's service. */
export class DialectTransport implements ChargerTransport {
  constructor(
    private readonly rpc: ChargerTransport,
    private readonly soap: SoapCalls,
    private readonly connectionless: Pick<ConnectionlessChargers, 'protocolOf'>,
    private readonly live: (chargePointId: string) => boolean,
    private readonly defaultTimeoutMs: number,
  ) {}

  call(chargePointId: string, action: string, payload: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    const protocol = this.live(chargePointId) ? null : this.connectionless.protocolOf(chargePointId);
    if (protocol === null) return this.rpc.call(chargePointId, action, payload, options);
    return this.soap.call(chargePointId, protocol, action, payload, options?.timeoutMs ?? this.defaultTimeoutMs);
  }
}

/** The transport over this process's RPC connections. */
export class RpcTransport implements ChargerTransport {
  constructor(
    private readonly rpc: RpcServer,
    private readonly defaultTimeoutMs: number,
  ) {}

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
