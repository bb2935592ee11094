// OCPP 1.5 over SOAP as the 1.6 messages the handlers take, and their 1.6 answers back as 1.5 ones. 1.6 grew out
// of 1.5: most messages are the same, and where they differ the 1.6 field says the same thing under another
// name or shape (meter values as elements instead of attributes, the heartbeat interval's name), so the one
// domain sees a 1.5 charger in the same words as any other.
import type { DialectIntents } from '../dialect.js';
import { v16Intents } from '../v16/intents.js';
import type { SoapHandler } from './central-system.js';

type Json = Record<string, any>;

/** The 1.6 handlers as 1.5 ones: each 1.5 request read as 1.6, each 1.6 answer written as 1.5. */
export function v15Handlers(v16: Readonly<Record<string, SoapHandler | undefined>>): Record<string, SoapHandler | undefined> {
  return Object.fromEntries(
    Object.entries(v16).map(([operation, handler]) => [
      operation,
      handler && (async (request: Json, context) => v16AnswerAsV15(operation, (await handler(v15RequestAsV16(operation, request), context)) as Json)),
    ]),
  );
}

/** 1.5 units that 1.6 spells differently. */
const UNITS: Readonly<Record<string, string>> = { Amp: 'A', Volt: 'V' };
/** 1.5's name of what 1.6 calls EVCommunicationError. */
const ERROR_CODES: Readonly<Record<string, string>> = { Mode3Error: 'EVCommunicationError' };

/** 1.5 MeterValue (values with attributes) → 1.6 MeterValue (sampledValue elements). */
function meterValue(values: Json): Json {
  return {
    timestamp: values.timestamp,
    sampledValue: (values.value as Json[]).map(({ '#text': value, unit, ...rest }) => ({ value, ...rest, ...(unit === undefined ? {} : { unit: UNITS[unit] ?? unit }) })),
  };
}

/** A 1.5 request (already checked against the 1.5 WSDL) as the 1.6 message of the same operation. */
export function v15RequestAsV16(operation: string, request: Json): Json {
  switch (operation) {
    case 'MeterValues': {
      const { values = [], ...rest } = request;
      return { ...rest, meterValue: (values as Json[]).map(meterValue) };
    }
    case 'StopTransaction': {
      const { transactionData, ...rest } = request;
      if (!transactionData) return rest;
      // 1.5 wraps each list of meter values in a TransactionData element; 1.6 lists the meter values.
      return { ...rest, transactionData: (transactionData as Json[]).flatMap((data) => ((data.values ?? []) as Json[]).map(meterValue)) };
    }
    case 'StatusNotification':
      return { ...request, errorCode: ERROR_CODES[request.errorCode] ?? request.errorCode };
    default:
      return request;
  }
}

/** A 1.6 answer as the 1.5 answer of the same operation. */
export function v16AnswerAsV15(operation: string, answer: Json): Json {
  if (operation !== 'BootNotification') return answer;
  const { interval, status, ...rest } = answer;
  // 1.5 has no Pending: a charger not yet accepted is told Rejected, and boots again after the interval.
  return { ...rest, status: status === 'Pending' ? 'Rejected' : status, heartbeatInterval: interval };
}

/**
 * The operator's intents as 1.5 messages: the 1.6 ones, but for the local list, which 1.5 spells
 * localAuthorisationList. Its answers decode as 1.6's (a 1.5 HashError is a failed push).
 */
export const v15Intents: DialectIntents = {
  encode(intent) {
    const encoded = v16Intents.encode(intent);
    if (encoded.action !== 'SendLocalList') return encoded;
    return { action: encoded.action, payload: renamed(encoded.payload as Json, 'localAuthorizationList', 'localAuthorisationList') };
  },
  decode: (intent, answer) => v16Intents.decode(intent, answer),
};

/** A 1.5 command (as a simulated 1.5 charger receives it) as the 1.6 one its logic takes. */
export function v15CommandAsV16(operation: string, request: Json): Json {
  return operation === 'SendLocalList' ? renamed(request, 'localAuthorisationList', 'localAuthorizationList') : request;
}

function renamed(message: Json, from: string, to: string): Json {
  const { [from]: value, ...rest } = message;
  return value === undefined ? rest : { ...rest, [to]: value };
}

// The other direction, for a simulated 1.5 charger that runs the 1.6 charger's logic: its 1.6 requests written
// as 1.5 ones (what 1.5 cannot say is left out or said in its nearest words), and 1.5 answers read as 1.6.

const UNITS_15: Readonly<Record<string, string>> = { A: 'Amp', V: 'Volt' };
/** The 1.6 statuses of a connector in use, all of them "Occupied" in 1.5. */
const IN_USE = new Set(['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing']);
const ERROR_CODES_15: Readonly<Record<string, string>> = { EVCommunicationError: 'Mode3Error', InternalError: 'OtherError', LocalListConflict: 'OtherError', OverVoltage: 'OtherError' };
const CONTEXTS_15 = new Set(['Interruption.Begin', 'Interruption.End', 'Sample.Clock', 'Sample.Periodic', 'Transaction.Begin', 'Transaction.End']);

function meterValue15(meterValue: Json): Json {
  return {
    timestamp: meterValue.timestamp,
    value: (meterValue.sampledValue as Json[]).map(({ value, context, format, measurand, location, unit }) => ({
      '#text': value,
      ...(context !== undefined && CONTEXTS_15.has(context) ? { context } : {}),
      ...(format !== undefined ? { format } : {}),
      ...(measurand !== undefined ? { measurand } : {}),
      ...(location !== undefined ? { location } : {}),
      ...(unit !== undefined ? { unit: UNITS_15[unit] ?? unit } : {}),
    })),
  };
}

/** A 1.6 request as the 1.5 request of the same operation. */
export function v16RequestAsV15(operation: string, request: Json): Json {
  switch (operation) {
    case 'MeterValues': {
      const { meterValue = [], ...rest } = request;
      return { ...rest, values: (meterValue as Json[]).map(meterValue15) };
    }
    case 'StopTransaction': {
      const { transactionData, reason: _reason, ...rest } = request;
      return transactionData ? { ...rest, transactionData: [{ values: (transactionData as Json[]).map(meterValue15) }] } : rest;
    }
    case 'StatusNotification':
      return { ...request, status: IN_USE.has(request.status) ? 'Occupied' : request.status, errorCode: ERROR_CODES_15[request.errorCode] ?? request.errorCode };
    default:
      return request;
  }
}

/** A 1.5 answer as the 1.6 answer of the same operation. */
export function v15AnswerAsV16(operation: string, answer: Json): Json {
  if (operation !== 'BootNotification') return answer;
  const { heartbeatInterval, ...rest } = answer;
  return { ...rest, interval: heartbeatInterval };
}
