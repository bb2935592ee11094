// The CSMS side of OCPP-J: takes HTTP upgrades, decides identity, subprotocol and credentials before the
// socket opens, and keeps one live connection per charger identity.
import { EventEmitter } from 'node:events';
import type { X509Certificate } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { createValidators, isSupportedProtocol } from '../schemas/validators.js';
import { RpcConnection, type CloseInfo, type Handler } from './connection.js';
import { parseBasicAuth, parseIdentity, parseOfferedProtocols, selectSubprotocol } from './handshake.js';
import type { BasicCredentials } from '../../domain/ports.js';

export interface AuthenticationRequest {
  identity: string;
  protocol: string;
  offered: string[];
  basicAuth: BasicCredentials | null;
  remoteAddress: string | undefined;
  headers: IncomingHttpHeaders;
  transport: HandshakeTransport;
}

/** How the charger reached us: over TLS or not, and the client certificate it presented (security profile 3). */
export interface HandshakeTransport {
  secure: boolean;
  clientCertificate: ClientCertificate | null;
}

export interface ClientCertificate {
  /** Verified by the TLS handshake against the trusted CAs (VOLTGATE_TLS_CA), and within its validity. */
  verified: boolean;
  /** Why not, as OpenSSL says it (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE …). */
  problem: string | null;
  commonName: string | null;
  organization: string | null;
  /** What is kept of it for its expiry (the charger's certificates); null when it could not be read. */
  details: PresentedCertificate | null;
}

export interface PresentedCertificate {
  /** Hex, upper case. */
  serialNumber: string;
  /** "CN=…, O=…". */
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

/** The parts of a certificate Voltgate tracks. */
export function presentedCertificate(certificate: X509Certificate): PresentedCertificate {
  const name = (text: string) => text.split('\n').filter(Boolean).join(', ');
  return {
    serialNumber: certificate.serialNumber.toUpperCase(),
    subject: name(certificate.subject),
    issuer: name(certificate.issuer),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

const readable = <T>(read: () => T): T | null => {
  try {
    return read();
  } catch {
    return null;
  }
};

/** What the TLS layer (if any) tells of the connection. */
function transportOf(socket: IncomingMessage['socket']): HandshakeTransport {
  if (!(socket instanceof TLSSocket)) return { secure: false, clientCertificate: null };
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { secure: true, clientCertificate: null };
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;
  const problem = socket.authorizationError;
  return {
    secure: true,
    clientCertificate: {
      verified: socket.authorized,
      problem: problem ? String((problem as NodeJS.ErrnoException).code ?? problem) : null,
      commonName: first(peer.subject?.CN),
      organization: first(peer.subject?.O),
      details: readable(() => presentedCertificate(socket.getPeerX509Certificate()!)),
    },
  };
}

export type AuthenticationResult = { accept: true } | { accept: false; status: number; message?: string };

export interface RpcServerOptions {
  /** Supported subprotocols in preference order, e.g. ['ocpp1.6']. */
  protocols: string[];
  /** Served when the charger offers no Sec-WebSocket-Protocol; null refuses such chargers. */
  defaultProtocol: string | null;
  maxPayloadBytes: number;
  pingIntervalMs: number;
  callTimeoutMs: number;
  maxBadMessages: number;
  logger: Logger;
  authenticate(request: AuthenticationRequest): Promise<AuthenticationResult>;
  handlersFor(identity: string, protocol: string): Readonly<Record<string, Handler>>;
  /** The subprotocols this identity may use, when it is restricted to some of `protocols`. */
  protocolsFor?(identity: string): readonly string[] | null;
  /** Path before the identity. Default '/ocpp/'. */
  pathPrefix?: string;
  /** Behind a TLS-terminating proxy: the transport it describes in its headers, or null when it is not a trusted proxy. */
  forwardedTransport?(req: IncomingMessage): HandshakeTransport | null;
}

export interface DisconnectInfo extends CloseInfo {
  /** True when a newer connection of the same identity took this one's place. */
  replaced: boolean;
}

/** Close code for a connection superseded by a newer one of the same identity (private-use range). */
export const REPLACED_CLOSE_CODE = 4000;
const SHUTDOWN_GRACE_MS = 2000;

export class RpcServer extends EventEmitter {
  private readonly options: RpcServerOptions;
  private readonly wss: WebSocketServer;
  private readonly byIdentity = new Map<string, RpcConnection>();
  /** Every open connection, including replaced ones still closing, so close() waits for all. */
  private readonly live = new Set<RpcConnection>();
  private readonly replaced = new WeakSet<RpcConnection>();
  /** The subprotocol chosen for a request, read back by ws's handleProtocols. */
  private readonly chosen = new WeakMap<IncomingMessage, string>();
  /** The TLS socket under a connection made to Voltgate's own TLS port, for its client certificate later on. */
  private readonly tlsSockets = new WeakMap<RpcConnection, TLSSocket>();
  private closing = false;

  constructor(options: RpcServerOptions) {
    super();
    for (const protocol of [...options.protocols, ...(options.defaultProtocol ? [options.defaultProtocol] : [])]) {
      if (!isSupportedProtocol(protocol)) throw new Error(`unsupported OCPP subprotocol ${protocol}`);
      createValidators(protocol); // compile at start, not on the first charger's message
    }
    this.options = options;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
      // Exactly one value in the 101, the one chosen before the upgrade.
      handleProtocols: (_offered, request) => this.chosen.get(request) ?? false,
    });
  }

  get(identity: string): RpcConnection | undefined {
    return this.byIdentity.get(identity);
  }

  /** The current connection of every connected identity. */
  connections(): RpcConnection[] {
    return [...this.byIdentity.values()];
  }

  /** The client certificate a connection presented at its TLS handshake here (not through a proxy), if any. */
  clientCertificateOf(connection: RpcConnection): X509Certificate | null {
    return this.tlsSockets.get(connection)?.getPeerX509Certificate() ?? null;
  }

  /** Hands an HTTP upgrade to the OCPP endpoint; refusals are HTTP answers, before any socket opens. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'upgrade failed');
      refuse(socket, 500);
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const log = this.options.logger;
    // A peer resetting mid-handshake must not become an unhandled 'error'.
    socket.on('error', ignore);
    if (this.closing) return refuse(socket, 503);
    const prefix = this.options.pathPrefix ?? '/ocpp/';
    const pathname = (req.url ?? '').split('?', 1)[0];
    const parsed = parseIdentity(pathname, prefix);
    if (!parsed.ok) {
      log.info({ url: pathname.slice(0, 128), reason: parsed.reason }, 'upgrade refused: bad identity');
      return refuse(socket, pathname.startsWith(prefix) ? 400 : 404, parsed.reason);
    }
    const identity = parsed.identity;
    const offered = parseOfferedProtocols(req.headers['sec-websocket-protocol']);
    const allowed = this.options.protocolsFor?.(identity);
    const supported = allowed ? this.options.protocols.filter((p) => allowed.includes(p)) : this.options.protocols;
    const protocol = selectSubprotocol(offered, supported, this.options.defaultProtocol);
    if (!protocol) {
      log.info({ identity, offered }, 'upgrade refused: no supported subprotocol');
      return refuse(socket, 400, 'no supported OCPP subprotocol offered');
    }
    const verdict = await this.options.authenticate({
      identity,
      protocol,
      offered,
      basicAuth: parseBasicAuth(req.headers.authorization),
      remoteAddress: req.socket.remoteAddress,
      headers: req.headers,
      transport: this.options.forwardedTransport?.(req) ?? transportOf(req.socket),
    });
    if (socket.destroyed) return;
    if (this.closing) return refuse(socket, 503);
    if (!verdict.accept) {
      log.info({ identity, status: verdict.status }, 'upgrade refused by authentication');
      return refuse(socket, verdict.status, verdict.message);
    }
    if (offered.length > 0) this.chosen.set(req, protocol);
    socket.off('error', ignore);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.adopt(ws, identity, protocol, socket));
  }

  private adopt(socket: WebSocket, identity: string, protocol: string, transport: Duplex): void {
    const options = this.options;
    const connection = new RpcConnection({
      socket,
      identity,
      protocol,
      role: 'csms',
      validators: createValidators(protocol as Parameters<typeof createValidators>[0]),
      handlers: options.handlersFor(identity, protocol),
      callTimeoutMs: options.callTimeoutMs,
      pingIntervalMs: options.pingIntervalMs,
      maxBadMessages: options.maxBadMessages,
      logger: options.logger,
    });
    if (transport instanceof TLSSocket) this.tlsSockets.set(connection, transport);
    const previous = this.byIdentity.get(identity);
    this.byIdentity.set(identity, connection);
    this.live.add(connection);
    connection.once('close', (info: CloseInfo) => {
      this.live.delete(connection);
      // A replaced connection's late close must not unregister its successor (CONFORMANCE 71).
      if (this.byIdentity.get(identity) === connection) this.byIdentity.delete(identity);
      const replaced = this.replaced.has(connection);
      options.logger.info({ identity, code: info.code, replaced }, 'charger disconnected');
      this.emit('disconnect', connection, { code: info.code, reason: info.reason, replaced } satisfies DisconnectInfo);
    });
    options.logger.info({ identity, protocol, replacing: Boolean(previous) }, 'charger connected');
    if (previous) {
      this.replaced.add(previous);
      previous.close(REPLACED_CLOSE_CODE, 'replaced').catch(ignore);
    }
    this.emit('connection', connection);
  }

  /**
   * Shutdown, first step: new connections are refused (503), chargers' further messages are no longer read, and
   * this resolves once every message already read has been answered (its write committed, or failed).
   */
  async drain(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.live].map((connection) => connection.drain()));
  }

  /** Closes every connection with 1001 (terminating those that do not finish the close handshake in time). */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.live];
    await Promise.all(
      all.map(async (connection) => {
        const timer = setTimeout(() => connection.terminate(), SHUTDOWN_GRACE_MS);
        try {
          await connection.close(1001, 'server shutting down');
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function ignore(): void {}

/** An HTTP answer on the raw socket instead of an upgrade. */
function refuse(socket: Duplex, status: number, message = ''): void {
  if (socket.destroyed) return;
  const body = message.replace(/[\r\n]/g, ' ').slice(0, 200);
  const extra = status === 401 ? 'WWW-Authenticate: Basic realm="ocpp"\r\n' : '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n${extra}` +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
