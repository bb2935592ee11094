// Calls to a SOAP charger's ChargePointService (OCPP 1.5/1.6): the JSON form of an operation's request written
// as the WSDL's XML, posted to the address the charger announced, and its answer read back and checked against
// the WSDL. Every failure is one the domain names: no address, no answer in time, no SOAP answer, or the
// charger's own fault; nothing waits longer than the call timeout.
import { randomUUID } from 'node:crypto';
import { ChargerCallError, ChargerFeatureNotSupportedError, ChargerNotConnectedError, ChargerTimeoutError, ChargerUnreachableError } from '../../domain/commands/errors.js';
import { messageCodecs, type MessageCodec } from './codec.js';
import { readAnswer, requestEnvelope, SoapFault } from './envelope.js';
import type { WsdlService } from './wsdl.js';

export interface ChargePointClientOptions {
  /** Each SOAP dialect's ChargePointService. */
  services: Readonly<Record<string, WsdlService>>;
  endpointOf(chargePointId: string): string | null;
  /** Our own Central System service address, as this charger calls it: sent as wsa:From. */
  ownAddress(chargePointId: string): string;
  /** The largest answer read. */
  maxAnswerBytes?: number;
}

const MAX_ANSWER_BYTES = 1024 * 1024;

export class SoapChargePointClient {
  private readonly codecs = new Map<string, Map<string, MessageCodec>>();

  constructor(private readonly options: ChargePointClientOptions) {}

  /** The charger's answer to `action`, as JSON; rejects with the domain's ChargerCommandErrors. */
  async call(chargePointId: string, protocol: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const service = this.options.services[protocol];
    const operation = service?.operations.get(action);
    if (!service || !operation) throw new ChargerFeatureNotSupportedError(chargePointId, action, `${protocol} has no ${action} operation`);
    const endpoint = this.options.endpointOf(chargePointId);
    if (!endpoint) {
      throw new ChargerNotConnectedError(chargePointId, `charge point '${chargePointId}' has announced no SOAP endpoint (wsa:From): set its soapEndpoint to reach it`);
    }
    const codecs = this.codecsOf(protocol, service);
    const request = codecs.get(operation.request.element)!;
    const invalid = request.check(payload);
    // The dialect's map built it: a mismatch is our bug, and nothing is sent.
    if (invalid) throw new Error(`${action} request does not fit the ${protocol} WSDL: ${invalid}`);
    const text = requestEnvelope({
      serviceNs: service.namespace,
      chargeBoxIdentity: chargePointId,
      action: operation.action,
      messageId: `urn:uuid:${randomUUID()}`,
      to: endpoint,
      from: this.options.ownAddress(chargePointId),
      body: request.write(payload, 'ocpp'),
    });
    const answerText = await this.post(chargePointId, action, endpoint, text, timeoutMs);
    let answer;
    try {
      answer = readAnswer(answerText, service.namespace);
    } catch (error) {
      const detail = error instanceof SoapFault ? error.message : String(error);
      throw new ChargerUnreachableError(chargePointId, `charge point '${chargePointId}' answered ${action} with something that is not its SOAP answer (${detail})`);
    }
    if (answer.kind === 'fault') throw new ChargerCallError(chargePointId, action, answer.subcode ?? answer.code, answer.reason);
    if (answer.element !== operation.response.element) {
      throw new ChargerUnreachableError(chargePointId, `charge point '${chargePointId}' answered ${action} with ${answer.element}, not ${operation.response.element}`);
    }
    const read = codecs.get(operation.response.element)!.read(answer.body);
    if (!read.ok) throw new ChargerCallError(chargePointId, action, 'FormationViolation', `its answer does not fit the WSDL: ${read.message}`);
    return read.value;
  }

  private async post(chargePointId: string, action: string, endpoint: string, body: string, timeoutMs: number): Promise<string> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > (this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES)) throw new ChargerUnreachableError(chargePointId, `charge point '${chargePointId}' answered ${action} with ${length} bytes`);
      // A SOAP fault comes with 400 or 500: its text is read like any answer.
      return await response.text();
    } catch (error) {
      if (error instanceof ChargerUnreachableError) throw error;
      if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new ChargerTimeoutError(chargePointId, action, timeoutMs);
      throw new ChargerUnreachableError(chargePointId, `charge point '${chargePointId}' could not be reached at ${endpoint}: ${causeOf(error)}`);
    }
  }

  private codecsOf(protocol: string, service: WsdlService): Map<string, MessageCodec> {
    let codecs = this.codecs.get(protocol);
    if (!codecs) this.codecs.set(protocol, (codecs = messageCodecs(service)));
    return codecs;
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
