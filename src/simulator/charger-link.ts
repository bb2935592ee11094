// What every simulated charger does the same way whatever its OCPP version: one RPC connection, calls timed
// for the bench, transaction messages kept and resent until acknowledged, pauses that stop() cuts short, and
// the boot-then-sessions loop. The dialects (charger.ts for 1.6, station-v201.ts for 2.0.1) say only what they send.
import { connectRpc } from '../ocpp/rpc/client.js';
import type { Handler } from '../ocpp/rpc/connection.js';
import { OutboundValidationError } from '../ocpp/rpc/errors.js';
import { createValidators, type OcppProtocol } from '../ocpp/schemas/validators.js';
import { backoffMs, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { describeFailure, type CallFailure } from './call-failure.js';

/** What a link calls over: a WebSocket RPC connection, or a SOAP charger's HTTP link (soap-link.ts). */
export interface LinkConnection {
  readonly isOpen: boolean;
  call(action: string, payload: unknown): Promise<unknown>;
  close(code?: number, reason?: string): Promise<unknown>;
}

export interface ChargerLinkOptions {
  /** Base URL of the OCPP endpoint; the charger id is appended. */
  url: string;
  id: string;
  /** The protocol whose schemas check every message in and out. */
  protocol: OcppProtocol;
  /** Offered subprotocols; [] offers none. */
  offers: string[];
  handlers: Readonly<Record<string, Handler>>;
  callTimeoutMs?: number;
  pace?: () => Promise<void>;
  onCall?: (action: string, latencyMs: number, ok: boolean, failure?: CallFailure, variant?: string) => void;
  onAnswered?: (chargerId: string, action: string, payload: unknown, answer: unknown) => void;
  retriesTransactionMessages?: boolean;
  backoff?: BackoffOptions;
  /** Opens the connection another way than OCPP-J over WebSocket (SOAP). */
  open?: () => Promise<LinkConnection>;
  /** Security profiles 1–3: the charger's password (HTTP Basic, its id as the username), and for wss:// the CAs to trust and its client certificate, PEM. */
  credentials?: ChargerCredentials;
}

export interface ChargerCredentials {
  password?: string;
  tls?: { ca?: string; cert?: string; key?: string };
}

/** Thrown out of a resend loop when the charger is stopped before the CSMS acknowledged the message. */
export class StoppedError extends Error {
  constructor(action: string) {
    super(`stopped before ${action} was acknowledged`);
  }
}

export class ChargerLink {
  private connection: LinkConnection | null = null;
  stopping = false;
  /** Wakes pauses early when stop() is called, so a stopped charger does not sit out its back-off. */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: ChargerLinkOptions) {}

  get connected(): boolean {
    return this.connection !== null;
  }

  async connect(): Promise<void> {
    const { options } = this;
    if (options.open) {
      this.connection = await options.open();
      return;
    }
    this.connection = await connectRpc({
      url: `${options.url}/${encodeURIComponent(options.id)}`,
      identity: options.id,
      protocols: options.offers,
      validators: createValidators(options.protocol),
      handlers: options.handlers,
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      ...(options.credentials?.password ? { basicAuth: { username: options.id, password: options.credentials.password } } : {}),
      ...(options.credentials?.tls ? { tls: options.credentials.tls } : {}),
    });
  }

  /** Boot (connect first if needed), then the sessions, until their number is reached or stop() is called. */
  async run(boot: () => Promise<void>, sessions: number, idleMs: number, session: (n: number) => Promise<void>): Promise<void> {
    if (!this.connection) await this.connect();
    try {
      await boot();
    } catch (error) {
      if (error instanceof StoppedError || (this.resilient && this.stopping)) return;
      throw error;
    }
    let failedInARow = 0;
    for (let n = 0; !this.stopping && (sessions === 0 || n < sessions); n++) {
      try {
        if (this.resilient) await this.reconnectIfClosed();
        await session(n);
        failedInARow = 0;
      } catch (error) {
        if (error instanceof StoppedError) return;
        if (!this.resilient) throw error;
        // Authorize unanswered, or the CSMS unreachable: this driver goes away; the next one tries later.
        await this.pause(this.backoff(failedInARow++));
      }
      await this.pause(idleMs);
    }
  }

  /** Sends a BootNotification until Accepted: after the CSMS's interval while Pending or Rejected, after a back-off on failure. */
  async bootUntilAccepted(send: () => Promise<{ status: string; interval: number }>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let answer: { status: string; interval: number };
      try {
        answer = await send();
      } catch (error) {
        if (!this.resilient || this.stopping) throw error;
        await this.pause(this.backoff(attempt));
        await this.reconnectIfClosed().catch(() => {});
        continue;
      }
      if (answer.status === 'Accepted' || this.stopping) return;
      await this.pause(Math.min(answer.interval, 60) * 1000);
    }
  }

  /** `variant` tells calls of one action apart in the stats (a TransactionEvent's eventType). */
  async call(action: string, payload: unknown, variant?: string): Promise<unknown> {
    if (!this.connection) throw new Error(`charger ${this.options.id} is not connected`);
    if (this.options.pace) await this.options.pace();
    const started = performance.now();
    try {
      const answer = await this.connection.call(action, payload);
      this.options.onCall?.(action, performance.now() - started, true, undefined, variant);
      this.options.onAnswered?.(this.options.id, action, payload, answer);
      return answer;
    } catch (error) {
      this.options.onCall?.(action, performance.now() - started, false, describeFailure(error), variant);
      throw error;
    }
  }

  /**
   * A transaction message: with retriesTransactionMessages, the same payload (same timestamp, same meter
   * reading, same seqNo) is resent after a growing pause until the CSMS acknowledges it or the charger is stopped.
   */
  async callKept(action: string, payload: unknown, variant?: string): Promise<unknown> {
    if (!this.resilient) return this.call(action, payload, variant);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.reconnectIfClosed();
        return await this.call(action, payload, variant);
      } catch (error) {
        // Our own payload failing its schema will fail the same way every time: a bug, not a fault.
        if (error instanceof OutboundValidationError) throw error;
        if (this.stopping) throw new StoppedError(action);
        await this.pause(this.backoff(attempt));
        if (this.stopping) throw new StoppedError(action);
      }
    }
  }

  /** Opens a new connection when the last one closed (the CSMS restarted or dropped it); no new boot, as a real charger. */
  async reconnectIfClosed(): Promise<void> {
    if (this.connection?.isOpen) return;
    await this.connect();
  }

  get resilient(): boolean {
    return this.options.retriesTransactionMessages ?? false;
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
  }

  /** Sleeps, or less when stop() is called meanwhile. */
  pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  stop(): void {
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
  }

  close(): void {
    this.stop();
    this.connection?.close(1000, 'simulator done').catch(() => {});
  }
}
