// What a call to a charger can fail with, as the domain names it: the gateway translates its transport's
// errors into these, so the API maps them to HTTP without knowing OCPP-J (PRODUCT.md: 409, 504, never a hang).

/** Base of every failure of a CSMS-initiated call; `chargePointId` says which charger. */
export class ChargerCommandError extends Error {
  constructor(
    readonly chargePointId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ChargerCommandError';
  }
}

/** The charger holds no connection (or lost it before it answered). */
export class ChargerNotConnectedError extends ChargerCommandError {
  constructor(chargePointId: string, message = `charge point '${chargePointId}' is not connected`) {
    super(chargePointId, message);
    this.name = 'ChargerNotConnectedError';
  }
}

/** The charger did not answer within the call timeout. */
export class ChargerTimeoutError extends ChargerCommandError {
  constructor(
    chargePointId: string,
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(chargePointId, `charge point '${chargePointId}' did not answer ${action} within ${timeoutMs} ms`);
    this.name = 'ChargerTimeoutError';
  }
}

/** The charger could not be called, or answered with something that is not an answer (a SOAP charger's endpoint). */
export class ChargerUnreachableError extends ChargerCommandError {
  constructor(chargePointId: string, message: string) {
    super(chargePointId, message);
    this.name = 'ChargerUnreachableError';
  }
}

/** The charger answered with a CALLERROR; `code` is its OCPP error code (NotSupported, InternalError, …). */
export class ChargerCallError extends ChargerCommandError {
  constructor(
    chargePointId: string,
    readonly action: string,
    readonly code: string,
    readonly description: string,
  ) {
    super(chargePointId, `charge point '${chargePointId}' answered ${action} with ${code}${description ? `: ${description}` : ''}`);
    this.name = 'ChargerCallError';
  }
}

/** The charger told us before that it lacks the feature (e.g. SendLocalList NotSupported): nothing was sent. */
export class ChargerFeatureNotSupportedError extends ChargerCommandError {
  constructor(
    chargePointId: string,
    readonly feature: string,
    message = `charge point '${chargePointId}' does not support ${feature}`,
  ) {
    super(chargePointId, message);
    this.name = 'ChargerFeatureNotSupportedError';
  }
}
