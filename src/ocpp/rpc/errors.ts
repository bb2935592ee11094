// Errors with stable codes: what a handler throws to answer a CALLERROR, and what call() rejects with.

/** A CALLERROR: thrown by a handler to answer one, or the peer's CALLERROR to our call(). */
export class CallError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CallError';
    this.code = code;
    this.details = details;
  }
}

/** The peer did not answer our CALL within the timeout. */
export class CallTimeoutError extends Error {
  readonly code = 'Timeout';

  constructor(action: string, timeoutMs: number) {
    super(`${action} not answered within ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
  }
}

/** The connection closed before our CALL was answered (or before it could be sent). */
export class ConnectionClosedError extends Error {
  readonly code = 'ConnectionClosed';

  constructor(message = 'connection closed') {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/** Our own outbound payload failed its schema; nothing was sent. */
export class OutboundValidationError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'OutboundValidationError';
    this.code = code;
  }
}
