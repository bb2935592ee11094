// What a call to a charger can fail with, as the domain names it: the gateway translates its transport's
// errors into these, so the API maps them to HTTP without knowing OCPP-J (PRODUCT.md: 409, 504, never a hang).
import type { ChargePointRepository, RegistrationStatus } from '../ports.js';

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

/**
 * The charger's boot is not accepted (its registration is Pending or Rejected): a session is not started or stopped
 * remotely until it is (OCPP 1.6 §4.2 allows neither while Pending; CONFORMANCE 34, for every dialect). Nothing was sent.
 */
export class ChargerNotAcceptedError extends ChargerCommandError {
  constructor(
    chargePointId: string,
    readonly registrationStatus: RegistrationStatus,
    what: string,
  ) {
    super(chargePointId, `charge point '${chargePointId}' is registered ${registrationStatus}: no ${what} is sent to it until its boot is accepted`);
    this.name = 'ChargerNotAcceptedError';
  }
}

/** Throws ChargerNotAcceptedError unless the charger's registration is Accepted (an unknown charger is left to the caller). */
export async function requireAcceptedRegistration(
  chargePoints: Pick<ChargePointRepository, 'get'>,
  chargePointId: string,
  what: string,
): Promise<void> {
  const registrationStatus = (await chargePoints.get(chargePointId))?.registrationStatus;
  if (registrationStatus !== undefined && registrationStatus !== 'Accepted') throw new ChargerNotAcceptedError(chargePointId, registrationStatus, what);
}
