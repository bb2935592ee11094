// OCPP-J framing: text frame ↔ message. Pure and total: parseFrame never throws, whatever arrives.
import { formatViolationCode } from '../schemas/error-codes.js';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** OCPP-J 1.6 §4.1.4 / Part 4 §4.1.4: a message id is a string of at most 36 characters. */
export const MAX_ID_LENGTH = 36;
export const MAX_DESCRIPTION_LENGTH = 255;

export type ParsedFrame =
  | { kind: 'call'; id: string; action: string; payload: Record<string, unknown> }
  | { kind: 'result'; id: string; payload: unknown }
  | { kind: 'error'; id: string; code: string; description: string; details: Record<string, unknown> }
  /** Answer with a CALLERROR to replyId. */
  | { kind: 'bad'; replyId: string; code: string; description: string }
  /** No reply; reason is for the log and the bad-message count. */
  | { kind: 'ignore'; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const readableId = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_ID_LENGTH;

/** Part 4 names a frame whose id cannot be read RpcFrameworkError; 1.6 has only FormationViolation. */
function unreadableCode(protocol: string): string {
  return protocol === 'ocpp1.6' ? 'FormationViolation' : 'RpcFrameworkError';
}

export function parseFrame(text: string, protocol: string): ParsedFrame {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'bad', replyId: '-1', code: unreadableCode(protocol), description: 'frame is not valid JSON' };
  }
  if (!Array.isArray(message)) {
    return { kind: 'bad', replyId: '-1', code: unreadableCode(protocol), description: 'frame is not a JSON array' };
  }
  const type = message[0];
  const id = message[1];
  if (type === CALL) {
    // Echo the id only when it is one we could have been sent (OCPP-J §4.1.4), else "-1".
    if (!readableId(id)) {
      return { kind: 'bad', replyId: '-1', code: unreadableCode(protocol), description: 'message id must be a string of at most 36 characters' };
    }
    if (message.length !== 4) {
      return { kind: 'bad', replyId: id, code: formatViolationCode(protocol), description: 'a CALL has exactly 4 elements' };
    }
    const action = message[2];
    const payload = message[3];
    if (typeof action !== 'string' || action.length === 0) {
      return { kind: 'bad', replyId: id, code: formatViolationCode(protocol), description: 'action must be a non-empty string' };
    }
    if (!isObject(payload)) {
      return { kind: 'bad', replyId: id, code: formatViolationCode(protocol), description: 'payload must be a JSON object' };
    }
    return { kind: 'call', id, action, payload };
  }
  if (type === CALLRESULT) {
    // A malformed answer cannot be answered (that would answer an answer): only logged and counted.
    if (message.length !== 3 || !readableId(id)) return { kind: 'ignore', reason: 'malformed CALLRESULT' };
    return { kind: 'result', id, payload: message[2] };
  }
  if (type === CALLERROR) {
    if (message.length < 4 || message.length > 5 || !readableId(id)) return { kind: 'ignore', reason: 'malformed CALLERROR' };
    const code = typeof message[2] === 'string' ? message[2] : 'GenericError';
    const description = typeof message[3] === 'string' ? message[3] : '';
    const details = isObject(message[4]) ? message[4] : {};
    return { kind: 'error', id, code, description, details };
  }
  // OCPP-J 1.6 §4.1.3: an unknown message type is ignored; Part 4 §4.4: answered MessageTypeNotSupported.
  if (protocol === 'ocpp1.6') return { kind: 'ignore', reason: 'unknown message type' };
  return {
    kind: 'bad',
    replyId: readableId(id) ? id : '-1',
    code: 'MessageTypeNotSupported',
    description: 'unknown message type',
  };
}

export function serializeCall(id: string, action: string, payload: unknown): string {
  return `[2,${JSON.stringify(id)},${JSON.stringify(action)},${JSON.stringify(payload)}]`;
}

export function serializeResult(id: string, payload: unknown): string {
  return `[3,${JSON.stringify(id)},${JSON.stringify(payload ?? {})}]`;
}

/** Always 5 elements, description ≤ 255 chars, details an object: never a stack trace. */
export function serializeError(id: string, code: string, description: string, details?: Record<string, unknown>): string {
  const text = description.length > MAX_DESCRIPTION_LENGTH ? description.slice(0, MAX_DESCRIPTION_LENGTH) : description;
  let detailsJson = '{}';
  if (details && isObject(details)) {
    try {
      detailsJson = JSON.stringify(details);
    } catch {
      // Unserialisable details (a cycle, a BigInt) must not stop the error from going out.
    }
  }
  return `[4,${JSON.stringify(id)},${JSON.stringify(code)},${JSON.stringify(text)},${detailsJson}]`;
}
