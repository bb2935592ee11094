// What every route that sends a call to a charger shares (PRODUCT.md "Remote commands answer 404 for an unknown
// charger, 409 for one that is not connected, and 504 when the charger does not answer … they never hang"):
// the checks before the call, the domain's errors as HTTP, and the responses that documents.
import {
  ChargerCallError,
  ChargerFeatureNotSupportedError,
  ChargerNotAcceptedError,
  ChargerNotConnectedError,
  ChargerTimeoutError,
  ChargerUnreachableError,
} from '../domain/commands/errors.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { errorSchema } from './schemas/common.js';

/** `{id}` of /charge-points/{id}/…: percent-encoded ids (RDAM%20123) arrive decoded by the router. */
export const chargePointIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 255, description: 'Charge point identity (percent-encoded in the URL)' } },
} as const;

/** The 200 of a command whose answer is the charger's Accepted or Rejected. */
export const acceptedOrRejectedAnswer = {
  type: 'object',
  description: "The charger's answer",
  required: ['status'],
  properties: { status: { type: 'string', enum: ['Accepted', 'Rejected'] } },
} as const;

/** The error responses of a charger command, each with the common error shape and what it means. */
export const chargerCommandErrorResponses = {
  400: { ...errorSchema, description: 'Invalid input: the message names the field and what is wrong' },
  401: { ...errorSchema, description: 'Missing or wrong operator key' },
  404: { ...errorSchema, description: 'No such charge point' },
  409: { ...errorSchema, description: 'The charge point is not connected, or does not support what was asked' },
  500: { ...errorSchema, description: 'Unexpected server error' },
  502: { ...errorSchema, description: 'The charge point answered with an OCPP CALLERROR or SOAP fault (the message names its error code), or a SOAP charger could not be reached at its endpoint or answered with something that is not its answer' },
  504: { ...errorSchema, description: 'The charge point did not answer within the call timeout' },
} as const;

/** 404 for an unknown charger. */
export async function requireChargePoint(deps: Pick<ApiDeps, 'chargePoints'>, id: string): Promise<void> {
  if (!(await deps.chargePoints.get(id))) throw new ApiError(404, 'not_found', `Charge point '${id}' not found`);
}

/** 404 for an unknown charger, 409 for one without a connection: before anything is sent. */
export async function requireConnectedCharger(deps: Pick<ApiDeps, 'chargePoints' | 'gateway'>, id: string): Promise<void> {
  await requireChargePoint(deps, id);
  if (!deps.gateway.isConnected(id)) throw new ApiError(409, 'charger_not_connected', `Charge point '${id}' is not connected`);
}

/** A domain error of a call to a charger as the ApiError it answers; anything else is returned unchanged. */
export function chargerCommandError(error: unknown): unknown {
  if (error instanceof ChargerNotConnectedError) return new ApiError(409, 'charger_not_connected', error.message);
  if (error instanceof ChargerFeatureNotSupportedError) return new ApiError(409, 'not_supported_by_charger', error.message);
  if (error instanceof ChargerNotAcceptedError) return new ApiError(409, 'charger_not_accepted', error.message);
  if (error instanceof ChargerTimeoutError) return new ApiError(504, 'charger_timeout', error.message);
  if (error instanceof ChargerCallError) return new ApiError(502, 'charger_error', error.message);
  if (error instanceof ChargerUnreachableError) return new ApiError(502, 'charger_unreachable', error.message);
  return error;
}

/** Checks the charger, runs the command, and answers its failures with the statuses above. */
export async function runChargerCommand<T>(deps: Pick<ApiDeps, 'chargePoints' | 'gateway'>, id: string, command: () => Promise<T>): Promise<T> {
  await requireConnectedCharger(deps, id);
  try {
    return await command();
  } catch (error) {
    throw chargerCommandError(error);
  }
}
