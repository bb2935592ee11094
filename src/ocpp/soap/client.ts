// One SOAP call, from either side (Voltgate calling a charger's ChargePointService, a simulated charger calling
// Voltgate's Central System service): the JSON form of an operation's request written as the WSDL's XML, posted,
// and the answer read back and checked against the WSDL. Failures are told apart by kind, for each side to name.
import { randomUUID } from 'node:crypto';
import type { MessageCodec } from './codec.js';
import { readAnswer, requestEnvelope, SoapFault } from './envelope.js';
import type { WsdlService } from './wsdl.js';

export type SoapCallFailure = 'no-operation' | 'timeout' | 'unreachable' | 'not-soap' | 'fault' | 'invalid-answer';

export class SoapCallError extends Error {
  constructor(
    readonly kind: SoapCallFailure,
    message: string,
    /** A fault's code: its subcode's local name when it has one (SecurityError, ProtocolError …). */
    readonly code: string | null = null,
    /** A fault's reason text. */
    readonly reason = '',
  ) {
    super(message);
    this.name = 'SoapCallError';
  }
}

export interface SoapCall {
  service: WsdlService;
  codecs: ReadonlyMap<string, MessageCodec>;
  endpoint: string;
  chargeBoxIdentity: string;
  action: string;
  payload: unknown;
  /** Our own service address, as wsa:From. */
  from: string;
  timeoutMs: number;
  /** HTTP Basic credentials, when the callee wants them. */
  authorization?: string;
  maxAnswerBytes?: number;
  /** Posts the request another way than fetch() (the simulator's keep-alive agent); rejects as fetch() would. */
  post?: HttpPost;
}

/** One HTTP POST: the answer's text, or an error (AbortSignal timeouts as a DOMException named TimeoutError). */
export type HttpPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number, maxBytes: number) => Promise<string>;

const fetchPost: HttpPost = async (url, headers, body, timeoutMs, maxBytes) => {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new SoapCallError('not-soap', `answered with ${length} bytes`);
  // A SOAP fault comes with 400 or 500: its text is read like any answer.
  return response.text();
};

const MAX_ANSWER_BYTES = 1024 * 1024;

/** The answer's JSON form; rejects with a SoapCallError, or an Error when our own request does not fit the WSDL. */
export async function callSoap(call: SoapCall): Promise<Record<string, unknown>> {
  const operation = call.service.operations.get(call.action);
  if (!operation) throw new SoapCallError('no-operation', `the service has no ${call.action} operation`);
  const request = call.codecs.get(operation.request.element)!;
  const invalid = request.check(call.payload);
  // Whoever built the payload checked it first: a mismatch here is a bug, and nothing is sent.
  if (invalid) throw new Error(`${call.action} request does not fit the WSDL: ${invalid}`);
  const text = requestEnvelope({
    serviceNs: call.service.namespace,
    chargeBoxIdentity: call.chargeBoxIdentity,
    action: operation.action,
    messageId: `urn:uuid:${randomUUID()}`,
    to: call.endpoint,
    from: call.from,
    body: request.write(call.payload, 'ocpp'),
  });
  const answerText = await post(call, text);
  let answer;
  try {
    answer = readAnswer(answerText, call.service.namespace);
  } catch (error) {
    throw new SoapCallError('not-soap', `answered ${call.action} with something that is not its SOAP answer (${error instanceof SoapFault ? error.message : String(error)})`);
  }
  if (answer.kind === 'fault') {
    const code = answer.subcode ?? answer.code;
    throw new SoapCallError('fault', `answered ${call.action} with ${code}${answer.reason ? `: ${answer.reason}` : ''}`, code, answer.reason);
  }
  if (answer.element !== operation.response.element) {
    throw new SoapCallError('not-soap', `answered ${call.action} with ${answer.element}, not ${operation.response.element}`);
  }
  const read = call.codecs.get(operation.response.element)!.read(answer.body);
  if (!read.ok) throw new SoapCallError('invalid-answer', `its answer to ${call.action} does not fit the WSDL: ${read.message}`);
  return read.value;
}

async function post(call: SoapCall, body: string): Promise<string> {
  const headers = { 'content-type': `application/soap+xml; charset=utf-8; action="${call.action}"`, ...(call.authorization ? { authorization: call.authorization } : {}) };
  try {
    return await (call.post ?? fetchPost)(call.endpoint, headers, body, call.timeoutMs, call.maxAnswerBytes ?? MAX_ANSWER_BYTES);
  } catch (error) {
    if (error instanceof SoapCallError) throw error;
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new SoapCallError('timeout', `did not answer ${call.action} within ${call.timeoutMs} ms`);
    }
    throw new SoapCallError('unreachable', `could not be reached at ${call.endpoint}: ${causeOf(error)}`);
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
