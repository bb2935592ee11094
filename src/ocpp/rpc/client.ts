// The charger side of OCPP-J: one WebSocket to the CSMS wrapped in the same RpcConnection the server
// uses. Kept light: the simulator opens thousands of these in one process.
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import { createValidators, isSupportedProtocol, type ProtocolValidators } from '../schemas/validators.js';
import { RpcConnection, type Handler } from './connection.js';

export interface ConnectRpcOptions {
  /** Full ws:// or wss:// URL including the identity path. */
  url: string;
  identity: string;
  /** Offered subprotocols; [] offers none (the CSMS then serves its default). */
  protocols: string[];
  handlers: Readonly<Record<string, Handler>>;
  /** Default: createValidators(first protocol, or ocpp1.6 when none is offered). */
  validators?: ProtocolValidators;
  basicAuth?: { username: string; password: string };
  callTimeoutMs?: number;
  /** 0 (default) = no pings from the charger side. */
  pingIntervalMs?: number;
  maxBadMessages?: number;
  logger?: Logger;
  /** Upgrade must complete within this time. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** The local address to connect from (a simulated fleet spreads over 127.0.0.x: each has its own ports). */
  localAddress?: string;
  /** More handshake headers (a proxy's, in tests). */
  headers?: Record<string, string>;
  /** wss://: the CAs to trust for the CSMS's certificate (else the system's), and the charger's own certificate (profile 3), PEM. */
  tls?: { ca?: string; cert?: string; key?: string };
}

let silent: Logger | null = null;
const silentLogger = () => (silent ??= pino({ level: 'silent' }));

/** Opens the socket and resolves once it is open; rejects on refusal (the error names the HTTP status). */
export function connectRpc(options: ConnectRpcOptions): Promise<RpcConnection> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.basicAuth) {
    const { username, password } = options.basicAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const socket = new WebSocket(options.url, options.protocols, {
    headers,
    perMessageDeflate: false,
    handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    ...options.tls,
  });
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      socket.off('open', open);
      reject(error);
    };
    const refused = (_req: unknown, response: { statusCode?: number }) => {
      socket.off('open', open);
      socket.off('error', fail);
      socket.on('error', () => {});
      socket.terminate();
      const error = new Error(`upgrade refused with HTTP ${response.statusCode ?? '?'}`) as Error & { status?: number };
      error.status = response.statusCode;
      reject(error);
    };
    const open = () => {
      socket.off('error', fail);
      socket.off('unexpected-response', refused);
      // The server's answer decides the protocol; with none, the CSMS default (1.6) applies.
      const protocol = socket.protocol || options.protocols[0] || 'ocpp1.6';
      let validators = options.validators;
      if (!validators) {
        if (!isSupportedProtocol(protocol)) {
          socket.terminate();
          reject(new Error(`no schemas for subprotocol ${protocol}`));
          return;
        }
        validators = createValidators(protocol);
      }
      resolve(
        new RpcConnection({
          socket,
          identity: options.identity,
          protocol,
          role: 'charger',
          validators,
          handlers: options.handlers,
          callTimeoutMs: options.callTimeoutMs ?? 30_000,
          pingIntervalMs: options.pingIntervalMs ?? 0,
          maxBadMessages: options.maxBadMessages ?? Infinity,
          logger: options.logger ?? silentLogger(),
        }),
      );
    };
    socket.once('open', open);
    socket.once('error', fail);
    socket.once('unexpected-response', refused);
  });
}
