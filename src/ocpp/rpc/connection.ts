// One OCPP-J connection, either side: answers inbound CALLs through a handler table, correlates our own
// CALLs (one outstanding at a time, FIFO behind it), keeps the socket alive with pings, counts bad frames.
// The frame boundary never throws and never answers a CALL twice.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { isStorageUnavailable } from '../../domain/storage-faults.js';
import { formatViolationCode } from '../schemas/error-codes.js';
import type { ProtocolValidators } from '../schemas/validators.js';
import { CallError, CallTimeoutError, ConnectionClosedError, OutboundValidationError } from './errors.js';
import { parseFrame, serializeCall, serializeError, serializeResult } from './frame.js';
import { frameWithoutSecrets } from '../secrets.js';

export interface CallContext {
  identity: string;
  protocol: string;
  messageId: string;
}

export type Handler = (payload: any, context: CallContext) => Promise<unknown> | unknown;

export interface RpcConnectionOptions {
  socket: WebSocket;
  identity: string;
  protocol: string;
  role: 'csms' | 'charger';
  validators: ProtocolValidators;
  handlers: Readonly<Record<string, Handler>>;
  callTimeoutMs: number;
  /** 0 = no pings. */
  pingIntervalMs: number;
  /** Default: pingIntervalMs. */
  pongTimeoutMs?: number;
  /** Consecutive malformed frames tolerated; one more closes with 1002. Infinity allowed. */
  maxBadMessages: number;
  logger: Logger;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

interface OutboundCall {
  id: string;
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Longest piece of peer-controlled text we quote back in a description or a log field. */
const QUOTE_LIMIT = 64;
const quote = (text: string) => (text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);

export class RpcConnection extends EventEmitter {
  readonly identity: string;
  readonly protocol: string;
  readonly role: 'csms' | 'charger';
  /** ms since the epoch of the last inbound frame or pong. */
  lastActivityAt = Date.now();

  private readonly socket: WebSocket;
  private readonly validators: ProtocolValidators;
  private readonly handlers: Readonly<Record<string, Handler>>;
  private readonly callTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly maxBadMessages: number;
  private readonly log: Logger;

  private pending: OutboundCall | null = null;
  private pendingTimer: NodeJS.Timeout | null = null;
  private readonly queue: OutboundCall[] = [];
  private badMessages = 0;
  private closed = false;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private closedPromise: Promise<CloseInfo> | null = null;
  private closeInfo: CloseInfo | null = null;
  /** Inbound CALLs whose handler has not answered yet, and who waits for there to be none. */
  private handling = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(options: RpcConnectionOptions) {
    super();
    this.socket = options.socket;
    this.identity = options.identity;
    this.protocol = options.protocol;
    this.role = options.role;
    this.validators = options.validators;
    this.handlers = options.handlers;
    this.callTimeoutMs = options.callTimeoutMs;
    this.pingIntervalMs = options.pingIntervalMs;
    this.pongTimeoutMs = options.pongTimeoutMs ?? options.pingIntervalMs;
    this.maxBadMessages = options.maxBadMessages;
    this.log = options.logger.child({ identity: options.identity });

    this.socket.on('message', this.onMessage);
    this.socket.on('pong', this.onPong);
    this.socket.on('ping', this.onPing);
    this.socket.on('close', this.onClose);
    this.socket.on('error', this.onSocketError);
    if (this.pingIntervalMs > 0) this.keepAliveTimer = setTimeout(this.sendPing, this.pingIntervalMs);
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a CALL and resolves with the peer's validated CALLRESULT payload. At most one CALL is in flight
   * per connection (OCPP-J §4.1.1); later ones wait their turn in order.
   */
  call(action: string, payload: unknown, options: { timeoutMs?: number } = {}): Promise<unknown> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(`${this.identity} is not connected`));
    if (!this.validators.knows(action)) {
      return Promise.reject(new OutboundValidationError('NotImplemented', `${action} is not an ${this.protocol} action`));
    }
    const failure = this.validators.validateRequest(action, payload);
    if (failure) return Promise.reject(new OutboundValidationError(failure.code, `${action}: ${failure.message}`));
    return new Promise((resolve, reject) => {
      const call: OutboundCall = { id: '', action, payload, timeoutMs: options.timeoutMs ?? this.callTimeoutMs, resolve, reject };
      if (this.pending) this.queue.push(call);
      else this.dispatch(call);
    });
  }

  /** Closes with a close frame; resolves once the socket is closed. */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    const done = this.whenClosed();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
    return done;
  }

  /**
   * Stops reading the charger's messages (shutdown): what it sends from now on stays unanswered, so it sends
   * it again after reconnecting; what it already sent is answered. Resolves once every CALL read is answered.
   */
  drain(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.pause();
    if (this.handling === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.socket.terminate();
  }

  private whenClosed(): Promise<CloseInfo> {
    if (this.closed) return this.closedPromise ?? Promise.resolve(this.closeInfo ?? { code: 1006, reason: '' });
    this.closedPromise ??= new Promise((resolve) => this.once('close', resolve));
    return this.closedPromise;
  }

  // ── inbound ────────────────────────────────────────────────────────────────────────────────────

  private readonly onMessage = (data: WebSocket.RawData): void => {
    this.lastActivityAt = Date.now();
    const text = data.toString();
    if (this.log.isLevelEnabled('debug')) this.log.debug({ frame: frameWithoutSecrets(text) }, 'message-in');
    const frame = parseFrame(text, this.protocol);
    switch (frame.kind) {
      case 'call':
        this.badMessages = 0;
        this.onCall(frame.id, frame.action, frame.payload);
        return;
      case 'result':
        this.badMessages = 0;
        this.onResult(frame.id, frame.payload);
        return;
      case 'error':
        this.badMessages = 0;
        this.onError(frame.id, frame.code, frame.description, frame.details);
        return;
      case 'bad':
        this.send(serializeError(frame.replyId, frame.code, frame.description, {}));
        this.countBadMessage(frame.description);
        return;
      case 'ignore':
        this.countBadMessage(frame.reason);
        return;
    }
  };

  private countBadMessage(reason: string): void {
    this.badMessages++;
    this.log.warn({ reason, count: this.badMessages }, 'bad message from peer');
    if (this.badMessages > this.maxBadMessages && this.isOpen) {
      this.log.warn({ max: this.maxBadMessages }, 'too many bad messages: closing');
      this.socket.close(1002, 'too many bad messages');
    }
  }

  private onCall(id: string, action: string, payload: Record<string, unknown>): void {
    // OCPP-J 1.6 Table 7: an action the protocol does not define (case-sensitive) is NotImplemented,
    // one it defines that we do not serve is NotSupported.
    if (!this.validators.knows(action)) {
      this.send(serializeError(id, 'NotImplemented', `unknown action ${quote(action)}`, {}));
      return;
    }
    const handler = Object.hasOwn(this.handlers, action) ? this.handlers[action] : undefined;
    if (!handler) {
      this.send(serializeError(id, 'NotSupported', `${action} is not supported`, {}));
      return;
    }
    const failure = this.validators.validateRequest(action, payload);
    if (failure) {
      this.send(serializeError(id, failure.code, failure.message, {}));
      return;
    }
    let answer: unknown;
    this.handling += 1;
    try {
      answer = handler(payload, { identity: this.identity, protocol: this.protocol, messageId: id });
    } catch (error) {
      this.answerFailure(id, action, error);
      return;
    }
    if (answer instanceof Promise) {
      answer.then(
        (value: unknown) => this.answerResult(id, action, value),
        (error: unknown) => this.answerFailure(id, action, error),
      );
    } else {
      this.answerResult(id, action, answer);
    }
  }

  /** A CALL was answered (or failed): one fewer to wait for when draining. */
  private answered(): void {
    this.handling -= 1;
    if (this.handling === 0 && this.idleWaiters.length > 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private answerResult(id: string, action: string, value: unknown): void {
    this.answered();
    const failure = this.validators.validateResponse(action, value);
    if (failure) {
      // Our own bug: the peer gets a generic error, the log gets the detail.
      this.log.error({ action, messageId: id, failure }, 'handler answer failed the response schema');
      this.send(serializeError(id, 'InternalError', `could not process ${action}`, {}));
      return;
    }
    let text: string;
    try {
      text = serializeResult(id, value);
    } catch (error) {
      this.log.error({ action, messageId: id, err: error }, 'handler answer is not serialisable');
      this.send(serializeError(id, 'InternalError', `could not process ${action}`, {}));
      return;
    }
    this.send(text);
  }

  private answerFailure(id: string, action: string, error: unknown): void {
    this.answered();
    if (error instanceof CallError) {
      this.send(serializeError(id, error.code, error.message, error.details));
      return;
    }
    if (isStorageUnavailable(error)) {
      // Storage is away (its outage is logged once where it is detected): the charger keeps the message and
      // sends it again (OCPP 1.6 §3.7.1), so it learns that nothing was stored.
      this.log.debug({ action, messageId: id, err: error }, 'storage unavailable: answered InternalError');
      this.send(serializeError(id, 'InternalError', `${action} not stored: storage unavailable, send it again later`, {}));
      return;
    }
    this.log.error({ action, messageId: id, err: error }, 'handler failed');
    this.send(serializeError(id, 'InternalError', `could not process ${action}`, {}));
  }

  private onResult(id: string, payload: unknown): void {
    const call = this.takePending(id);
    if (!call) return;
    const failure = this.validators.validateResponse(call.action, payload);
    if (failure) {
      this.log.warn({ action: call.action, messageId: id, failure }, 'peer answer failed the response schema');
      call.reject(new CallError(formatViolationCode(this.protocol), `${call.action} answer: ${failure.message}`, { peerCode: failure.code }));
    } else {
      call.resolve(payload);
    }
    this.dispatchNext();
  }

  private onError(id: string, code: string, description: string, details: Record<string, unknown>): void {
    const call = this.takePending(id);
    if (!call) return;
    // Any code in any spelling, even one no spec defines, fails only this call (CONFORMANCE 7).
    this.log.info({ action: call.action, messageId: id, code: quote(code), description: quote(description) }, 'peer answered CALLERROR');
    call.reject(new CallError(code, description, details));
    this.dispatchNext();
  }

  /** The pending call with this id, now settled; or null, logged, when the id matches nothing. */
  private takePending(id: string): OutboundCall | null {
    const call = this.pending;
    if (!call || call.id !== id) {
      this.log.warn({ messageId: quote(id) }, 'answer matches no pending call: ignored');
      return null;
    }
    this.pending = null;
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    return call;
  }

  // ── outbound ───────────────────────────────────────────────────────────────────────────────────

  private dispatch(call: OutboundCall): void {
    // A fresh UUID per attempt: never reused across retries or reconnects (Part 4 §4.1.4).
    call.id = randomUUID();
    let text: string;
    try {
      text = serializeCall(call.id, call.action, call.payload);
    } catch (error) {
      call.reject(new OutboundValidationError('FormatViolation', `${call.action}: payload is not serialisable`));
      this.dispatchNext();
      return;
    }
    this.pending = call;
    this.pendingTimer = setTimeout(this.onCallTimeout, call.timeoutMs);
    this.send(text);
  }

  private dispatchNext(): void {
    if (this.pending || this.closed) return;
    const next = this.queue.shift();
    if (next) this.dispatch(next);
  }

  private readonly onCallTimeout = (): void => {
    const call = this.pending;
    this.pending = null;
    this.pendingTimer = null;
    if (!call) return;
    this.log.warn({ action: call.action, messageId: call.id, timeoutMs: call.timeoutMs }, 'call timed out');
    call.reject(new CallTimeoutError(call.action, call.timeoutMs));
    this.dispatchNext();
  };

  private send(text: string): void {
    if (!this.isOpen) return;
    if (this.log.isLevelEnabled('debug')) this.log.debug({ frame: frameWithoutSecrets(text) }, 'message-out');
    this.socket.send(text);
  }

  // ── keep-alive and close ───────────────────────────────────────────────────────────────────────

  private readonly sendPing = (): void => {
    this.keepAliveTimer = null;
    if (!this.isOpen) return;
    this.awaitingPong = true;
    this.socket.ping();
    this.keepAliveTimer = setTimeout(this.onPongTimeout, this.pongTimeoutMs);
  };

  private readonly onPongTimeout = (): void => {
    this.keepAliveTimer = null;
    if (!this.awaitingPong) return;
    this.log.warn({ pongTimeoutMs: this.pongTimeoutMs }, 'no pong: terminating the socket');
    this.socket.terminate();
  };

  private readonly onPong = (): void => {
    this.lastActivityAt = Date.now();
    if (!this.awaitingPong) return;
    this.awaitingPong = false;
    if (this.keepAliveTimer) clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = this.closed ? null : setTimeout(this.sendPing, this.pingIntervalMs);
  };

  // ws answers pings with pongs itself; a ping still proves the peer is alive.
  private readonly onPing = (): void => {
    this.lastActivityAt = Date.now();
  };

  private readonly onSocketError = (error: Error): void => {
    // ws closes the socket after an error (1009 oversize, 1007 bad UTF-8, …); 'close' follows.
    this.log.warn({ err: error }, 'socket error');
  };

  private readonly onClose = (code: number, reason: Buffer): void => {
    if (this.closed) return;
    this.closed = true;
    if (this.keepAliveTimer) clearTimeout(this.keepAliveTimer);
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.keepAliveTimer = null;
    this.pendingTimer = null;
    // Callers learn at once, not after their timeout (CONFORMANCE 74); nothing is resent.
    const waiting = this.pending ? [this.pending, ...this.queue] : [...this.queue];
    this.pending = null;
    this.queue.length = 0;
    const info: CloseInfo = { code, reason: reason.toString() };
    this.closeInfo = info;
    for (const call of waiting) call.reject(new ConnectionClosedError(`connection closed (${code}) before ${call.action} was answered`));
    this.emit('close', info);
  };
}
